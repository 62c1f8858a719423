import { z } from 'zod';
import type { JsonValue } from '../../src/index.js';
import type { DurableJobs } from '../durable-jobs.js';
import { sendKeysFor } from '../durable-jobs.js';
import type { ChannelContext } from '../channel.js';
import type { TeamsAnswerDelivery, TeamsQuestion } from './answer-delivery.js';

// A question asked in Teams, stored as a job before the Bot Framework gets its 200 and answered by
// whichever replica claims it, in a proactive turn. The Bot Framework may deliver an activity more
// than once: its id, within its conversation, is the delivery key, so it is answered once.

export const teamsAnswerKind = 'teams_message_answer';
const maxAttempts = 3;

const teamsQuestionSchema = z.object({
  reference: z.record(z.string(), z.unknown()),
  activityId: z.string(),
  text: z.string(),
  conversationId: z.string(),
  user: z.string().optional(),
  conversationType: z.string().optional(),
});

/** How the deliveries of one Teams activity are recognised, by any replica. */
export function teamsDeliveryKeys(conversationId: string | undefined, activityId: string): string[] {
  return [`teams:activity:${conversationId ?? 'unknown'}:${activityId}`];
}

/**
 * Stores the question as a job; undefined when this delivery was taken already (a redelivery).
 * `holdMs` keeps the job back while this replica answers in the turn (a stream): it only runs if
 * that answer was not sent by then.
 */
export async function enqueueTeamsAnswer(
  jobs: DurableJobs,
  question: TeamsQuestion,
  options: { holdMs?: number } = {},
): Promise<{ jobId: string } | undefined> {
  const result = await jobs.enqueue({
    kind: teamsAnswerKind,
    payload: JSON.parse(JSON.stringify(question)) as JsonValue,
    // An activity without an id (never sent by Teams) cannot be recognised again: no key.
    deliveryKeys: question.activityId
      ? teamsDeliveryKeys(question.reference.conversation?.id, question.activityId)
      : [],
    maxAttempts,
    runAfter: options.holdMs ? new Date(Date.now() + options.holdMs) : undefined,
  });
  return result.status === 'enqueued' ? { jobId: result.jobId } : undefined;
}

/** Lets this replica's worker answer stored Teams questions. */
export function registerTeamsAnswerJobs(context: ChannelContext, delivery: TeamsAnswerDelivery): void {
  const read = (payload: JsonValue) => teamsQuestionSchema.parse(payload);
  context.jobs.register(teamsAnswerKind, {
    run: (job) => delivery.answer(read(job.payload), sendKeysFor(job, context.store.jobs)),
    onDead: async (job, error) => {
      context.log('error', 'Teams: giving up on an answer after its last attempt', error);
      const question = teamsQuestionSchema.safeParse(job.payload);
      if (!question.success) return;
      await delivery.apologise(question.data, sendKeysFor(job, context.store.jobs));
    },
  });
}
