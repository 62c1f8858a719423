import { z } from 'zod';
import { blockKitLimits } from './block-kit-limits.js';

/**
 * What a 👍/👎 button carries so the click can be recorded without server-side state (a restart
 * between answer and click loses nothing): the rating, the conversation, the question, the cited ids.
 */
const feedbackReferenceSchema = z.object({
  r: z.enum(['helpful', 'not_helpful']),
  c: z.string().max(300).optional(),
  q: z.string().max(1_000).optional(),
  i: z.array(z.string().max(200)).max(50).optional(),
  m: z.string().max(40).optional(),
});

export interface FeedbackReference {
  rating: 'helpful' | 'not_helpful';
  conversationId?: string;
  question?: string;
  citedIds?: string[];
  /** The rated message's ts, carried by "Add a comment" so the comment links to the answer too. */
  messageTs?: string;
}

const questionLimit = 400;

/** JSON for a button value, kept within Slack's 2,000-character limit by trimming the question and ids. */
export function encodeFeedbackReference(
  reference: FeedbackReference,
  limit: number = blockKitLimits.buttonValue,
): string {
  const ids = [...(reference.citedIds ?? [])].filter((id) => id.length <= 200).slice(0, 50);
  const question = reference.question?.slice(0, questionLimit);
  const encode = () =>
    JSON.stringify({
      r: reference.rating,
      c: reference.conversationId?.slice(0, 300),
      q: question,
      i: ids.length > 0 ? ids : undefined,
      m: reference.messageTs?.slice(0, 40),
    });
  let value = encode();
  while (value.length > limit && ids.length > 0) {
    ids.pop();
    value = encode();
  }
  return value.length <= limit ? value : JSON.stringify({ r: reference.rating });
}

/** Reads a button value back; undefined when it is not one of ours. */
export function decodeFeedbackReference(value: string | undefined): FeedbackReference | undefined {
  if (!value) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return undefined;
  }
  const parsed = feedbackReferenceSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { r, c, q, i, m } = parsed.data;
  return { rating: r, conversationId: c, question: q, citedIds: i, messageTs: m };
}
