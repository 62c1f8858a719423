import { z } from 'zod';
import type { ChannelContext } from '../channel.js';
import { sendKeysFor } from '../durable-jobs.js';
import { respondThrough, shareApology, type EphemeralAnswers } from './ephemeral-answers.js';

// "Share in channel" on a private answer, stored as a job before Slack gets its acknowledgement:
// a replica that stops or a response_url that fails once does not lose the share, and a second
// click (or Slack repeating the request) shares it once.

export const slackShareAnswerKind = 'slack_share_answer';

const shareRequestSchema = z.object({ shareId: z.string(), responseUrl: z.string() });
export type ShareRequest = z.infer<typeof shareRequestSchema>;

/** Stores the share; the kept answer's id is its delivery key. */
export async function enqueueShare(context: ChannelContext, request: ShareRequest): Promise<void> {
  await context.jobs.enqueue({
    kind: slackShareAnswerKind,
    payload: request,
    deliveryKeys: request.shareId ? [`slack:share:${request.shareId}`] : [],
    maxAttempts: 4,
  });
}

/** Lets this replica's worker post stored shares. */
export function registerShareAnswerJobs(context: ChannelContext, answers: EphemeralAnswers): void {
  context.jobs.register(slackShareAnswerKind, {
    run: (job) => {
      const request = shareRequestSchema.parse(job.payload);
      return answers.share(
        respondThrough(request.responseUrl),
        request.shareId,
        sendKeysFor(job, context.store.jobs),
      );
    },
    onDead: async (job, error) => {
      context.log('error', 'slack: giving up on sharing an answer after its last attempt', error);
      const request = shareRequestSchema.safeParse(job.payload);
      if (request.success)
        await answers.apologise(
          respondThrough(request.data.responseUrl),
          sendKeysFor(job, context.store.jobs),
          shareApology,
        );
    },
  });
}
