import type { App, BlockAction } from '@slack/bolt';
import type { ChannelContext } from '../channel.js';
import { actionIds } from './interaction-ids.js';
import { truncatePlain } from './mrkdwn.js';
import { enqueueCommandAnswer } from './command-answer-jobs.js';
import { tellToWait, waitNotice } from './limit-notices.js';
import { enqueueThreadAnswer } from './thread-answer-jobs.js';

export interface FollowUpListenerDependencies {
  context: ChannelContext;
}

/**
 * A follow-up button asks its question in the same conversation: the thread, or the private command
 * answers.
 */
export function registerFollowUpListeners(app: App, { context }: FollowUpListenerDependencies): void {
  app.action<BlockAction>(
    new RegExp(`^${actionIds.followUpPrefix}\\d+$`),
    async ({ ack, action, body, client, respond }) => {
      await ack();
      const question = 'value' in action && typeof action.value === 'string' ? action.value.trim() : '';
      const channel = body.channel?.id;
      if (!question || !channel) return;
      const preface = `Follow-up: ${truncatePlain(question, 200)}`;
      // Ephemeral answers have no message in the payload: answer privately again.
      if (body.container?.is_ephemeral || !body.message) {
        if (!body.response_url) return;
        const outcome = await enqueueCommandAnswer(context, {
          responseUrl: body.response_url,
          text: question,
          channel,
          user: body.user.id,
          preface,
        });
        if (outcome.status === 'limited')
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: waitNotice(outcome.refusal),
          }).catch((error: unknown) => context.log('warn', 'slack: could not tell an asker to wait', error));
        return;
      }
      const threadTs = (body.message.thread_ts as string | undefined) ?? body.message.ts;
      // Stored before the acknowledgement goes out (when this listener returns), like a message.
      const outcome = await enqueueThreadAnswer(context, {
        channel,
        threadTs,
        text: question,
        user: body.user.id,
        teamId: body.team?.id ?? undefined,
        preface,
      });
      if (outcome.status === 'limited')
        await tellToWait(client, { channel, threadTs }, outcome.refusal).catch((error: unknown) =>
          context.log('warn', 'slack: could not tell an asker to wait', error),
        );
    },
  );
}
