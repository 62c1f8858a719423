import { z } from 'zod';
import type { JsonValue } from '../../src/index.js';
import type { ChannelContext } from '../channel.js';
import { channelDefaultsSchema } from '../channel-settings.js';
import { sendKeysFor } from '../durable-jobs.js';
import type { AnswerDelivery, ThreadQuestion } from './answer-delivery.js';
import type { PrivateMentionAnswers } from './private-mention-answers.js';

// A question asked in a Slack thread, stored as a job before Slack gets its 200 and answered by
// whichever replica claims it. Three attempts: the user hears back (or gets the apology) in seconds.

export const slackThreadAnswerKind = 'slack_thread_answer';
const maxAttempts = 3;

const threadQuestionSchema = z.object({
  channel: z.string(),
  threadTs: z.string(),
  text: z.string(),
  user: z.string().optional(),
  teamId: z.string().optional(),
  preface: z.string().optional(),
  title: z.string().optional(),
  defaults: channelDefaultsSchema.optional(),
  privately: z.boolean().optional(),
});

/** How Slack's deliveries of one message are recognised, by any replica. */
export function slackDeliveryKeys(eventId: string | undefined, channel: string, ts: string): string[] {
  return [...(eventId ? [`slack:event:${eventId}`] : []), `slack:message:${channel}:${ts}`];
}

/** Stores the question as a job; false when this delivery was taken already (a retry or a twin event). */
export async function enqueueThreadAnswer(
  context: ChannelContext,
  question: ThreadQuestion,
  deliveryKeys: readonly string[] = [],
): Promise<boolean> {
  const payload = JSON.parse(JSON.stringify(question)) as JsonValue;
  const result = await context.jobs.enqueue({
    kind: slackThreadAnswerKind,
    payload,
    deliveryKeys,
    maxAttempts,
  });
  return result.status === 'enqueued';
}

/** Lets this replica's worker answer stored Slack thread questions. */
export function registerThreadAnswerJobs(
  context: ChannelContext,
  delivery: AnswerDelivery,
  privateAnswers: PrivateMentionAnswers,
): void {
  context.jobs.register(slackThreadAnswerKind, {
    run: (job) => {
      const question = threadQuestionSchema.parse(job.payload);
      const sends = sendKeysFor(job, context.store.jobs);
      return question.privately
        ? privateAnswers.answer(question, sends)
        : delivery.answerInThread(question, sends);
    },
    onDead: async (job, error) => {
      context.log('error', 'slack: giving up on an answer after its last attempt', error);
      const question = threadQuestionSchema.safeParse(job.payload);
      if (!question.success) return;
      await delivery.apologise(question.data, sendKeysFor(job, context.store.jobs));
    },
  });
}
