import type { App, BlockAction } from '@slack/bolt';
import type { ChannelContext } from '../channel.js';
import { settingsWords } from '../channel-settings.js';
import { slackChannelSettings, type ChannelSettingsHandlers } from './channel-settings-listeners.js';
import { openCaseSubmission } from './case-submission.js';
import { enqueueCommandAnswer } from './command-answer-jobs.js';
import { enqueueShare } from './share-answer-jobs.js';
import { actionIds, slashCommand } from './interaction-ids.js';
import { waitNotice } from './limit-notices.js';
import { escapeMrkdwn, truncatePlain } from './mrkdwn.js';
import type { NavigatorHelp } from './navigator-help.js';
import { renderAnswer } from './render-answer.js';
import { answerDigestCommand } from './slack-digests.js';
import { questionFromSlackText } from './slack-text.js';

export interface CommandListenerDependencies {
  context: ChannelContext;
  help: NavigatorHelp;
  settings: ChannelSettingsHandlers;
}

const offNote =
  'The Navigator is off in this channel. Ask me in a direct message, or ask the channel’s creator ' +
  'or a workspace admin to turn it on again with `/navigator settings`.';

const submitWords = /^(submit|case|submit a case|submit case)$/i;

/**
 * `/navigator <question>`, `/navigator help`, `/navigator submit`, `/navigator subscribe weekly|monthly`,
 * `/navigator unsubscribe`, and the "Share in channel" button.
 */
export function registerCommandListeners(
  app: App,
  { context, help, settings }: CommandListenerDependencies,
): void {
  app.command(slashCommand, async ({ command, ack, client }) => {
    const text = questionFromSlackText(command.text);
    if (settingsWords.test(text)) return settings.openFromCommand(command, ack, client);
    const channelSettings = await slackChannelSettings(context, command.channel_id);
    if (channelSettings.off) {
      await ack({ response_type: 'ephemeral', text: offNote });
      return;
    }
    if (!text || /^help$/i.test(text)) {
      // The help answer is ready in memory, so it can be the acknowledgement itself.
      const [message] = renderAnswer(await help.answer(), { question: 'help', feedback: 'none' });
      await ack({ response_type: 'ephemeral', text: message!.text, blocks: message!.blocks });
      return;
    }
    const digestReply = await answerDigestCommand(context, command, text);
    if (digestReply) {
      await ack(digestReply);
      return;
    }
    if (submitWords.test(text)) {
      await ack();
      await openCaseSubmission(client, command.trigger_id);
      return;
    }
    // Stored (or refused by an ask limit) first; the acknowledgement says which, within Slack's three
    // seconds, and the answer follows through the response_url.
    const outcome = await enqueueCommandAnswer(
      context,
      {
        responseUrl: command.response_url,
        text,
        channel: command.channel_id,
        user: command.user_id,
        defaults: channelSettings.defaults,
      },
      `slack:command:${command.trigger_id}`,
    );
    await ack({
      response_type: 'ephemeral',
      text:
        outcome.status === 'limited'
          ? waitNotice(outcome.refusal)
          : `:mag: Looking into “${escapeMrkdwn(truncatePlain(text, 200))}”…`,
    });
  });

  // Stored first, then acknowledged: the share is posted by whichever replica works the job.
  app.action<BlockAction>(actionIds.share, async ({ ack, action, body }) => {
    const shareId = 'value' in action && typeof action.value === 'string' ? action.value : '';
    if (body.response_url) await enqueueShare(context, { shareId, responseUrl: body.response_url });
    await ack();
  });
}
