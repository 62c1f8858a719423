import { z } from 'zod';
import type { JsonValue } from '../src/index.js';
import type { ChannelContext } from './channel.js';
import { sendKeysFor } from './durable-jobs.js';

// "Ask a curator", the same in every channel: a question and its answer are handed to a person in a
// curator channel (store.handOffs), the curator's reply goes back to the asker marked as a person's,
// and 👎 comments are summarised for the curators at most once per period, by one replica.

/** What a hand-off keeps (store.handOffs payload), besides the channel's own way back to the asker. */
export const handOffRequestSchema = z.object({
  question: z.string(),
  answer: z.string(),
  /** Who asked, as the channel names them (a Slack user id, a Teams name). */
  asker: z.string().optional(),
  /** A link to the asker's thread, when the channel has one. */
  link: z.string().optional(),
});
export type HandOffRequest = z.infer<typeof handOffRequestSchema>;

/** What the asker is told once the question is with the curators. */
export const askerNotice =
  'Your question went to a curator (a person). Their reply will appear here, marked as from a curator.';

/** How a curator's reply is marked for the asker: plainly from a person, not from the AI. */
export const curatorReplyLabel = 'From a curator (a person, not the AI)';

/** A curator's words as the asker sees them: plainly from a person, not from the AI. */
export const curatorReplyText = (reply: string) => `${curatorReplyLabel}: ${reply.trim()}`;

/** The first lines of the curator-channel post (each channel adds its own formatting). */
export function handOffLines(request: HandOffRequest): { heading: string; question: string; answer: string } {
  const from = request.asker ? ` from ${request.asker}` : '';
  return {
    heading: `A question${from} was handed to the curators. Reply in this thread to answer the asker.`,
    question: request.question.slice(0, 1_500),
    answer: request.answer.slice(0, 2_500),
  };
}

/** A comment left with a 👎, as listed in a notice. */
export interface NotHelpfulComment {
  question?: string;
  comment: string;
}

/** How a channel posts a 👎 notice to its curator channel; `detail` is what it stored when scheduling. */
export type PostFeedbackNotice = (text: string, detail: JsonValue | undefined) => Promise<void>;

const noticePayloadSchema = z.object({
  since: z.string(),
  detail: z.unknown().optional(),
});

const firstPeriod = 'first';
const noticeKind = (channel: string) => `${channel}_curator_feedback_notice`;
const noticeMarker = (channel: string) => `curator-feedback-notice:${channel}`;

/** The notice text: the 👎 comments of one period. */
export function feedbackNoticeText(comments: NotHelpfulComment[]): string {
  const lines = comments.map(
    (item) => `• ${item.question ? `“${item.question.slice(0, 200)}”: ` : ''}${item.comment.slice(0, 500)}`,
  );
  return [`${comments.length} answer(s) were marked not helpful, with these comments:`, ...lines].join('\n');
}

/**
 * Schedules the notice for the period that is open: the first 👎 comment after the last notice
 * stores one job (its delivery key is the period's start, so every replica schedules it once), due
 * one period later; later comments of the period find it scheduled and are listed in it.
 */
export async function scheduleFeedbackNotice(
  context: ChannelContext,
  channel: string,
  detail?: JsonValue,
): Promise<void> {
  const everyMs = context.config.curators.feedbackNoticeEveryMs;
  const now = Date.now();
  const marker = (await context.store.channelSettings.get(noticeMarker(channel))) as
    { until?: string } | undefined;
  // Before the first notice there is no period end to start from: every replica uses the same key.
  const since = marker?.until ?? firstPeriod;
  await context.jobs.enqueue({
    kind: noticeKind(channel),
    payload: { since, ...(detail === undefined ? {} : { detail }) },
    deliveryKeys: [`${noticeMarker(channel)}:${since}`],
    deliveryKeyTtlMs: 30 * 24 * 60 * 60 * 1000,
    runAfter: new Date(now + everyMs),
    maxAttempts: 5,
  });
}

/** Lets this replica's worker post the due 👎 notices of `channel` with `post`. */
export function registerFeedbackNotices(
  context: ChannelContext,
  channel: string,
  post: PostFeedbackNotice,
): void {
  context.jobs.register(noticeKind(channel), {
    run: async (job) => {
      const { since, detail } = noticePayloadSchema.parse(job.payload);
      const until = new Date();
      const start =
        since === firstPeriod
          ? new Date(job.createdAt.getTime() - context.config.curators.feedbackNoticeEveryMs)
          : new Date(since);
      const comments = await notHelpfulComments(context, channel, start, until);
      const sends = sendKeysFor(job, context.store.jobs);
      if (comments.length > 0 && (await sends.claim('notice'))) {
        try {
          await post(feedbackNoticeText(comments), detail as JsonValue | undefined);
        } catch (error) {
          await sends.release('notice');
          throw error;
        }
        await sends.confirm('notice');
      }
      await context.store.channelSettings.set(noticeMarker(channel), { until: until.toISOString() });
      // A comment recorded while this notice was being sent found it scheduled: it opens the next one.
      const late = await notHelpfulComments(context, channel, until, undefined);
      if (late.length > 0) await scheduleFeedbackNotice(context, channel, detail as JsonValue | undefined);
    },
    onDead: async (_job, error) => {
      context.log('error', `${channel}: could not post the 👎 notice to the curators`, error);
    },
  });
}

async function notHelpfulComments(
  context: ChannelContext,
  channel: string,
  since: Date,
  until: Date | undefined,
): Promise<NotHelpfulComment[]> {
  const records = await context.store.feedback.since(since);
  return records
    .filter(
      (record) =>
        record.channel === channel &&
        record.rating === 'not_helpful' &&
        Boolean(record.comment?.trim()) &&
        (!until || record.receivedAt < until),
    )
    .reverse()
    .map((record) => ({ question: record.question, comment: record.comment!.trim() }));
}
