import { TeamsInfo, type InvokeResponse, type TurnContext } from 'botbuilder';
import { loadVocabulary, type NavigatorStore } from '../../src/index.js';
import type { ChannelContext } from '../channel.js';
import {
  channelDefaults,
  defaultChannelSettings,
  describeSettings,
  readChannelSettings,
  saveChannelSettings,
  settingsChoices,
  settingsFromForm,
  type ChannelSettings,
  type SettingsChoices,
} from '../channel-settings.js';
import { privateNote } from './card-feedback.js';
import { readSettingsSave, settingsCard } from './channel-settings-card.js';

// A Teams channel's settings: "@PSI Navigator settings" shows the card to team owners; its Save
// (Action.Execute) is checked again and stored for the channel (all its threads).

const ownersOnly = 'Only owners of this team can change the PSI Navigator’s settings for its channels.';
const channelsOnly =
  'Settings are for team channels. Mention me with “settings” in a channel of a team you own.';

/** The team's channel a message comes from (without the thread), or undefined outside teams. */
export function teamsChannelKey(context: TurnContext): string | undefined {
  const data = context.activity.channelData as
    { channel?: { id?: string }; team?: { id?: string } } | undefined;
  return data?.team?.id && data.channel?.id ? `teams:${data.channel.id}` : undefined;
}

/**
 * Team owners only: TeamsInfo.getMember asks the connector for the member
 * (GET /v3/conversations/{teamId}/members/{userId}), whose `userRole` is "owner", "user" or
 * "guest". A lookup that fails counts as no.
 */
async function isTeamOwner(context: TurnContext): Promise<boolean> {
  const member = await TeamsInfo.getMember(context, context.activity.from.id).catch(() => undefined);
  return member?.userRole === 'owner';
}

export class TeamsChannelSettings {
  private choices?: Promise<SettingsChoices>;

  constructor(
    private readonly store: Pick<NavigatorStore, 'channelSettings'>,
    private readonly knowledgeDir: string,
    private readonly log: ChannelContext['log'],
  ) {}

  /** The settings of the channel a message comes from (the defaults outside team channels). */
  async of(
    context: TurnContext,
  ): Promise<ChannelSettings & { defaults: ReturnType<typeof channelDefaults> }> {
    const key = teamsChannelKey(context);
    const settings = key ? await readChannelSettings(this.store, key) : defaultChannelSettings;
    return { ...settings, defaults: channelDefaults(settings) };
  }

  /** The reply to "settings": the card for a team owner, a polite refusal for anyone else. */
  async cardFor(
    context: TurnContext,
  ): Promise<{ text?: string; attachments?: ReturnType<typeof settingsCard>[] }> {
    const key = teamsChannelKey(context);
    if (!key) return { text: channelsOnly };
    if (!(await isTeamOwner(context))) return { text: ownersOnly };
    const settings = await readChannelSettings(this.store, key);
    return { attachments: [settingsCard(settings, await this.loadChoices())] };
  }

  /** The card's Save; undefined when the invoke is not one. Answered to the presser alone. */
  async save(context: TurnContext): Promise<InvokeResponse | undefined> {
    const form = readSettingsSave(context.activity.value);
    if (!form) return undefined;
    const key = teamsChannelKey(context);
    if (!key) return privateNote(channelsOnly);
    if (!(await isTeamOwner(context))) return privateNote(ownersOnly);
    const choices = await this.loadChoices();
    const previous = await readChannelSettings(this.store, key);
    // The card has no private switch (see settingsCard); a value set elsewhere is kept.
    const settings = { ...settingsFromForm(form, choices), privateAnswers: previous.privateAnswers };
    const by = context.activity.from.aadObjectId ?? context.activity.from.id;
    await saveChannelSettings(this.store, key, settings, `teams:${by}`);
    this.log('info', `Teams: settings of ${key} saved`);
    return privateNote(`Saved for this channel: ${describeSettings(settings, choices)}.`);
  }

  private loadChoices(): Promise<SettingsChoices> {
    return (this.choices ??= loadVocabulary(this.knowledgeDir).then(settingsChoices));
  }
}
