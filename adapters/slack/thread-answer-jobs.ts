import { z } from 'zod';
import type { EnqueueJob, JsonValue } from '../../src/index.js';
import { askLimitsFor, refusalFor, type AskRefusal } from '../ask-limits.js';
import type { ChannelContext } from '../channel.js';
import { channelDefaultsSchema } from '../channel-settings.js';
import { sendKeysFor } from '../durable-jobs.js';
import type { AnswerDelivery, ThreadQuestion } from './answer-delivery.js';
import type { ThreadContextReader } from './thread-context.js';
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
  mentionTs: z.string().optional(),
  defaults: channelDefaultsSchema.optional(),
  privately: z.boolean().optional(),
});

/** A stored question; a mention replying in a thread carries its ts, to read the thread when answered. */
export interface StoredThreadQuestion extends ThreadQuestion {
  mentionTs?: string;
}

/** How Slack's deliveries of one message are recognised, by any replica. */
export function slackDeliveryKeys(eventId: string | undefined, channel: string, ts: string): string[] {
  return [...(eventId ? [`slack:event:${eventId}`] : []), `slack:message:${channel}:${ts}`];
}

/** What became of a question: stored, a repeat of one taken already, or over an ask limit. */
export type EnqueueOutcome =
  { status: 'enqueued' | 'duplicate' } | { status: 'limited'; refusal: AskRefusal };

/** `enqueue` counted against the asker's and the channel's ask limits (see ask-limits.ts). */
export async function enqueueAsked(
  context: ChannelContext,
  job: EnqueueJob,
  asker: { user?: string; channel: string },
): Promise<EnqueueOutcome> {
  const limits = askLimitsFor(context.config, { channel: 'slack', user: asker.user, place: asker.channel });
  const result = await context.jobs.enqueue({ ...job, limits });
  return result.status === 'limited'
    ? { status: 'limited', refusal: refusalFor(result.refused, result.retryAfterMs) }
    : { status: result.status };
}

/** Stores the question as a job, unless it is a repeat (a retry or a twin event) or over a limit. */
export function enqueueThreadAnswer(
  context: ChannelContext,
  question: StoredThreadQuestion,
  deliveryKeys: readonly string[] = [],
): Promise<EnqueueOutcome> {
  const payload = JSON.parse(JSON.stringify(question)) as JsonValue;
  return enqueueAsked(context, { kind: slackThreadAnswerKind, payload, deliveryKeys, maxAttempts }, question);
}

/** Lets this replica's worker answer stored Slack thread questions. */
export function registerThreadAnswerJobs(
  context: ChannelContext,
  delivery: AnswerDelivery,
  { threads, privateAnswers }: { threads?: ThreadContextReader; privateAnswers: PrivateMentionAnswers },
): void {
  context.jobs.register(slackThreadAnswerKind, {
    run: async (job) => {
      const question = await withThreadContext(threadQuestionSchema.parse(job.payload), threads);
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

/** The question as asked in its thread: a mention in a reply gets the thread's opening and last replies. */
async function withThreadContext(
  { mentionTs, ...question }: StoredThreadQuestion,
  threads: ThreadContextReader | undefined,
): Promise<ThreadQuestion> {
  if (!mentionTs || !threads) return question;
  const place = { channel: question.channel, threadTs: question.threadTs, mentionTs };
  return { ...question, text: await threads.question(place, question.text) };
}
