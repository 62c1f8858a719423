import { z } from 'zod';
import type { JsonValue } from '../../src/index.js';
import type { ChannelContext } from '../channel.js';
import { sendKeysFor } from '../durable-jobs.js';
import type { AnswerDelivery, ThreadQuestion } from './answer-delivery.js';
import type { ThreadContextReader } from './thread-context.js';

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
  mentionTs: z.string().optional(),
});

/** A stored question; a mention replying in a thread carries its ts, to read the thread when answered. */
export interface StoredThreadQuestion extends ThreadQuestion {
  mentionTs?: string;
}

/** How Slack's deliveries of one message are recognised, by any replica. */
export function slackDeliveryKeys(eventId: string | undefined, channel: string, ts: string): string[] {
  return [...(eventId ? [`slack:event:${eventId}`] : []), `slack:message:${channel}:${ts}`];
}

/** Stores the question as a job; false when this delivery was taken already (a retry or a twin event). */
export async function enqueueThreadAnswer(
  context: ChannelContext,
  question: StoredThreadQuestion,
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
  threads?: ThreadContextReader,
): void {
  context.jobs.register(slackThreadAnswerKind, {
    run: async (job) => {
      const question = await withThreadContext(threadQuestionSchema.parse(job.payload), threads);
      await delivery.answerInThread(question, sendKeysFor(job, context.store.jobs));
    },
    onDead: async (job, error) => {
      context.log('error', 'slack: giving up on an answer after its last attempt', error);
      const question = threadQuestionSchema.safeParse(job.payload);
      if (!question.success) return;
      await delivery.apologise(question.data, sendKeysFor(job, context.store.jobs));
    },
  });
}

/** The question as asked in its thread: a mention in a reply gets the thread's opening and last replies. */
async function withThreadContext(
  { mentionTs, ...question }: StoredThreadQuestion,
  threads: ThreadContextReader | undefined,
): Promise<ThreadQuestion> {
  if (!mentionTs || !threads) return question;
  const place = { channel: question.channel, threadTs: question.threadTs, mentionTs };
  return { ...question, text: await threads.question(place, question.text) };
}
