import type { App, SlashCommand, webApi } from '@slack/bolt';
import { loadVocabulary } from '../../src/index.js';
import type { ChannelContext } from '../channel.js';
import {
  channelDefaults,
  describeSettings,
  readChannelSettings,
  saveChannelSettings,
  settingsChoices,
  settingsFromForm,
  type ChannelSettings,
  type SettingsChoices,
} from '../channel-settings.js';
import { channelSettingsModal, readSettingsModal } from './channel-settings-modal.js';
import { callbackIds } from './interaction-ids.js';

// `/navigator settings`: who may change a channel's settings, the modal, and saving it.

/** The store key of a Slack channel's settings. */
export const slackChannelKey = (channel: string) => `slack:${channel}`;

/** What a listener needs to answer in a channel: its settings as the core and the adapter use them. */
export async function slackChannelSettings(
  context: ChannelContext,
  channel: string,
): Promise<ChannelSettings & { defaults: ReturnType<typeof channelDefaults> }> {
  const settings = await readChannelSettings(context.store, slackChannelKey(channel));
  return { ...settings, defaults: channelDefaults(settings) };
}

/**
 * Slack offers no public API for a channel's managers on every plan (Enterprise's admin.* only),
 * so the rule is: workspace admins and owners (users.info is_admin / is_owner / is_primary_owner)
 * and the channel's creator (conversations.info `creator`). A lookup that fails counts as no.
 */
export async function mayChangeSettings(
  client: webApi.WebClient,
  channel: string,
  user: string,
): Promise<boolean> {
  const who = await client.users.info({ user }).catch(() => undefined);
  if (who?.user?.is_admin || who?.user?.is_owner || who?.user?.is_primary_owner) return true;
  const where = await client.conversations.info({ channel }).catch(() => undefined);
  return where?.channel?.creator === user;
}

const refusal =
  'Only the channel’s creator or a workspace admin or owner can change the Navigator’s settings ' +
  'for this channel. You can still ask me anything with `/navigator <question>`.';

/** Lazily loaded vocabulary choices: the same for every channel. */
function choicesLoader(context: ChannelContext): () => Promise<SettingsChoices> {
  let loading: Promise<SettingsChoices> | undefined;
  return () => (loading ??= loadVocabulary(context.config.knowledgeDir).then(settingsChoices));
}

export interface ChannelSettingsHandlers {
  /** Answers `/navigator settings`: the modal for a manager, a polite refusal for anyone else. */
  openFromCommand(
    command: SlashCommand,
    ack: (response?: { response_type: 'ephemeral'; text: string }) => Promise<void>,
    client: webApi.WebClient,
  ): Promise<void>;
}

/** The modal's submission: checked again (the modal could be forged), saved, confirmed privately. */
export function registerChannelSettings(app: App, context: ChannelContext): ChannelSettingsHandlers {
  const choices = choicesLoader(context);

  app.view(callbackIds.channelSettingsModal, async ({ ack, view, body, client }) => {
    const channel = view.private_metadata;
    const user = body.user.id;
    if (!channel || !(await mayChangeSettings(client, channel, user))) {
      await ack({ response_action: 'errors', errors: { switches: refusal } });
      return;
    }
    const known = await choices();
    const settings = settingsFromForm(readSettingsModal(view.state.values), known);
    await saveChannelSettings(context.store, slackChannelKey(channel), settings, `slack:${user}`);
    await ack();
    await client.chat
      .postEphemeral({
        channel,
        user,
        text: `Saved the Navigator’s settings for this channel: ${describeSettings(settings, known)}.`,
      })
      .catch((error: unknown) => context.log('warn', 'slack: could not confirm saved settings', error));
  });

  return {
    async openFromCommand(command, ack, client) {
      if (!(await mayChangeSettings(client, command.channel_id, command.user_id))) {
        await ack({ response_type: 'ephemeral', text: refusal });
        return;
      }
      await ack();
      const settings = await readChannelSettings(context.store, slackChannelKey(command.channel_id));
      await client.views.open({
        trigger_id: command.trigger_id,
        view: channelSettingsModal(command.channel_id, settings, await choices()),
      });
    },
  };
}
