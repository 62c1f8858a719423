import type { InvokeResponse } from 'botbuilder';
import { z } from 'zod';
import { feedbackVerb } from './render-card.js';

// 👍/👎 on an answer card: an Action.Execute whose `adaptiveCard/action` invoke is answered with a
// message only the person who pressed sees, so nothing is posted to the chat or channel.

const executeSchema = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.literal(feedbackVerb),
    data: z.object({
      action: z.literal('navigator.feedback'),
      rating: z.enum(['helpful', 'not_helpful']),
      question: z.string().max(4_000).optional(),
      cited: z.array(z.string().max(200)).max(20).optional(),
    }),
  }),
});

export interface CardFeedback {
  rating: 'helpful' | 'not_helpful';
  question?: string;
  citedIds?: string[];
}

/** The rating an `adaptiveCard/action` invoke carries, or undefined for any other action. */
export function readCardFeedback(value: unknown): CardFeedback | undefined {
  const parsed = executeSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { rating, question, cited } = parsed.data.action.data;
  return { rating, question, citedIds: cited };
}

/** The invoke response Teams shows to the presser alone, as a brief note on the card. */
export function privateNote(text: string): InvokeResponse {
  return {
    status: 200,
    body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text },
  };
}

/** An Action.Execute this bot did not send: refused, but without a message in the chat. */
export const unknownAction: InvokeResponse = {
  status: 200,
  body: {
    statusCode: 400,
    type: 'application/vnd.microsoft.error',
    value: { code: 'BadRequest', message: 'This card action is not one PSI Navigator knows.' },
  },
};
