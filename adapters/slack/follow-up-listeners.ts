import type { App, BlockAction } from '@slack/bolt';
import type { AnswerDelivery } from './answer-delivery.js';
import type { BackgroundTasks } from '../background-tasks.js';
import type { EphemeralAnswers } from './ephemeral-answers.js';
import { actionIds } from './interaction-ids.js';
import { truncatePlain } from './mrkdwn.js';

export interface FollowUpListenerDependencies {
  delivery: AnswerDelivery;
  answers: EphemeralAnswers;
  tasks: BackgroundTasks;
}

/**
 * A follow-up button asks its question in the same conversation: the thread, or the private command
 * answers.
 */
export function registerFollowUpListeners(
  app: App,
  { delivery, answers, tasks }: FollowUpListenerDependencies,
): void {
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
        tasks.run('answering a follow-up', () =>
          answers.answer(respond, { text: question, channel, user: body.user.id, preface }),
        );
        return;
      }
      const threadTs = (body.message.thread_ts as string | undefined) ?? body.message.ts;
      tasks.run('answering a follow-up', () =>
        delivery.answerInThread({
          client,
          channel,
          threadTs,
          text: question,
          user: body.user.id,
          teamId: body.team?.id ?? undefined,
          preface,
        }),
      );
    },
  );
}
