import type { Activity } from 'botbuilder';
import { z } from 'zod';

// Reads what a Teams activity asks of the bot: a question (typed, or from a card button), card
// feedback, or nothing. Teams only delivers channel and group-chat messages that @-mention the bot,
// unless the app has resource-specific consent to read all; we answer only when mentioned either way.

const cardDataSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('navigator.ask'), question: z.string().trim().min(1).max(4_000) }),
  z.object({
    action: z.literal('navigator.feedback'),
    rating: z.enum(['helpful', 'not_helpful']),
    question: z.string().max(4_000).optional(),
    cited: z.array(z.string().max(200)).max(20).optional(),
  }),
]);

/** The value of Teams' message/submitAction invoke when a user presses the built-in 👍/👎. */
const feedbackLoopSchema = z.object({
  actionName: z.literal('feedback'),
  actionValue: z.object({
    reaction: z.enum(['like', 'dislike']),
    feedback: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  }),
});

export type IncomingMessage =
  | { kind: 'question'; text: string }
  | { kind: 'feedback'; rating: 'helpful' | 'not_helpful'; question?: string; citedIds?: string[] }
  | { kind: 'ignore'; reason: string };

/** Classifies a message activity: a question, card feedback, or something to leave alone. */
export function readIncomingMessage(activity: Partial<Activity>): IncomingMessage {
  if (activity.value !== undefined && activity.value !== null) {
    // Action.Submit buttons arrive as a message with the button's data in `value` and no mention.
    const parsed = cardDataSchema.safeParse(activity.value);
    if (!parsed.success) return { kind: 'ignore', reason: 'card data this bot did not send' };
    return parsed.data.action === 'navigator.ask'
      ? { kind: 'question', text: parsed.data.question }
      : {
          kind: 'feedback',
          rating: parsed.data.rating,
          question: parsed.data.question,
          citedIds: parsed.data.cited,
        };
  }
  const conversationType = activity.conversation?.conversationType;
  const { mentioned, text } = stripBotMention(activity);
  if ((conversationType === 'channel' || conversationType === 'groupChat') && !mentioned)
    return { kind: 'ignore', reason: 'not mentioned' };
  return { kind: 'question', text };
}

/** The text without the bot's <at>…</at> mention; other people's mentions keep their names. */
export function stripBotMention(activity: Partial<Activity>): { mentioned: boolean; text: string } {
  const botId = activity.recipient?.id;
  let text = activity.text ?? '';
  let mentioned = false;
  for (const entity of activity.entities ?? []) {
    if (
      entity.type?.toLowerCase() !== 'mention' ||
      (entity.mentioned as { id?: string } | undefined)?.id !== botId ||
      typeof entity.text !== 'string'
    )
      continue;
    mentioned = true;
    text = text.split(entity.text).join(' ');
  }
  text = text
    .replace(/<at>(.*?)<\/at>/gi, '$1')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return { mentioned, text };
}

/** The conversation without its thread: a channel ("19:…@thread.tacv2") or the chat itself. */
export function conversationRoot(activity: Partial<Activity>): string {
  return (activity.conversation?.id ?? 'unknown').split(';messageid=')[0]!;
}

/**
 * The Navigator's conversation id. Teams gives a channel thread the id "19:…@thread.tacv2;messageid=<root>",
 * so each thread keeps its own context; if the thread part is missing we add it from the root message.
 */
export function conversationKey(activity: Partial<Activity>): string {
  const id = activity.conversation?.id ?? 'unknown';
  if (activity.conversation?.conversationType === 'channel' && !id.includes(';messageid=')) {
    const root = activity.replyToId ?? activity.id;
    if (root) return `teams:${id};messageid=${root}`;
  }
  return `teams:${id}`;
}

/**
 * The 👍/👎 and comment from Teams' built-in feedback buttons, or undefined when the invoke is
 * something else.
 */
export function readFeedbackLoop(
  value: unknown,
): { rating: 'helpful' | 'not_helpful'; comment?: string } | undefined {
  const parsed = feedbackLoopSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { reaction, feedback } = parsed.data.actionValue;
  return { rating: reaction === 'like' ? 'helpful' : 'not_helpful', comment: feedbackComment(feedback) };
}

/** Teams sends the comment as text, as {"feedbackText": "…"}, or as that object encoded as a string. */
function feedbackComment(feedback: string | Record<string, unknown> | undefined): string | undefined {
  let value: unknown = feedback;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      // plain text
    }
  }
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'object' && value !== null
        ? (value as { feedbackText?: unknown }).feedbackText
        : undefined;
  return typeof text === 'string' && text.trim() ? text.trim().slice(0, 2_000) : undefined;
}
