import type { Activity } from 'botbuilder';
import type { Answer } from '../../src/index.js';
import {
  adaptiveCardContentType,
  compactLimits,
  fullLimits,
  minimalLimits,
  renderAnswerCard,
  type AdaptiveCard,
} from './render-card.js';
import { renderTextReply } from './render-text-reply.js';

// Picks the form of an answer and keeps every message under Teams' size limit. Teams counts the whole
// activity encoded as UTF-16 and answers 413 MessageSizeTooBig above it; the documented limit has moved
// (28 KB, 40 KB, now ~100 KB), so we keep to the smallest: 28 KB as UTF-16.

export const messageBudgetBytes = 28_000;
// A paragraph longer than this is cut; ×2 for UTF-16, ×2 for JSON escapes worst case.
const sliceCharacters = 6_000;

/** The activity's size as Teams measures it: its JSON as UTF-16. */
export function messageBytes(activity: Partial<Activity>): number {
  return JSON.stringify(activity).length * 2;
}

export interface AnswerMessageOptions {
  question: string;
  /** 'personal', 'groupChat' or 'channel'; suggested-action buttons only show in personal chats. */
  conversationType?: string;
}

/** Structured answers (methods, peers, skills, portfolio) become a card; prose answers a text reply. */
export function hasSections(answer: Answer): boolean {
  return (
    answer.recommendedMethods.length +
      answer.peerCases.length +
      answer.skills.length +
      answer.portfolio.length >
    0
  );
}

/** Text the Navigator composed from the knowledge base (not a fixed help, clarify or refusal text). */
export function isComposed(answer: Answer): boolean {
  return (answer.status === 'answered' || answer.status === 'degraded') && answer.intent !== 'help';
}

export function cardMessage(card: AdaptiveCard, aiGenerated: boolean): Partial<Activity> {
  return {
    type: 'message',
    attachments: [{ contentType: adaptiveCardContentType, content: card }],
    // The label describes the whole message, card included; there is no [n] text for citation pop-ups here.
    ...(aiGenerated
      ? {
          entities: [
            {
              type: 'https://schema.org/Message',
              '@type': 'Message',
              '@context': 'https://schema.org',
              '@id': '',
              additionalType: ['AIGeneratedContent'],
            },
          ],
        }
      : {}),
  };
}

/**
 * One message: the answer text with its citations (Teams shows [n] pop-ups only on message text),
 * the card below it with the lists, sources and 👍/👎.
 */
function cardWithText(answer: Answer, card: AdaptiveCard, aiGenerated: boolean): Partial<Activity> {
  return {
    ...renderTextReply(answer, { aiGenerated, feedbackLoop: false }),
    attachments: [{ contentType: adaptiveCardContentType, content: card }],
  };
}

/** The messages that carry `answer`, in order, each within the budget: usually exactly one. */
export function renderAnswerMessages(answer: Answer, options: AnswerMessageOptions): Partial<Activity>[] {
  const aiGenerated = isComposed(answer);
  if (!hasSections(answer)) {
    const followUps =
      options.conversationType === 'personal' || options.conversationType === undefined
        ? answer.followUps
        : [];
    return textReplies(answer, {
      aiGenerated,
      feedbackLoop: aiGenerated || answer.status === 'no_match',
      followUps,
    });
  }
  for (const limits of [fullLimits, compactLimits]) {
    const message = cardWithText(
      answer,
      renderAnswerCard(answer, { question: options.question, limits, withoutText: true }),
      aiGenerated,
    );
    if (messageBytes(message) <= messageBudgetBytes) return [message];
  }
  // Too long for one card: the text goes first in as many text messages as needed, the card follows
  // with the sections, sources and buttons (the card's 👍/👎 serve the whole answer).
  const texts = textReplies(answer, { aiGenerated, feedbackLoop: false });
  for (const limits of [compactLimits, minimalLimits]) {
    const message = cardMessage(
      renderAnswerCard(answer, { question: options.question, limits, withoutText: true }),
      aiGenerated,
    );
    if (messageBytes(message) <= messageBudgetBytes || limits === minimalLimits) return [...texts, message];
  }
  return texts;
}

/** The answer's text in one text reply, or split at paragraphs into several that each fit. */
function textReplies(
  answer: Answer,
  options: { aiGenerated: boolean; feedbackLoop: boolean; followUps?: string[] },
): Partial<Activity>[] {
  const whole = renderTextReply(answer, options);
  if (messageBytes(whole) <= messageBudgetBytes) return [whole];
  const paragraphs = answer.text.split(/\n{2,}/).flatMap((paragraph) => sliceLong(paragraph));
  const parts: string[] = [];
  let current = '';
  for (const paragraph of paragraphs) {
    const candidate = current ? `${current}\n\n${paragraph}` : paragraph;
    if (
      current &&
      messageBytes(renderTextReply(answer, { ...options, text: candidate })) > messageBudgetBytes
    ) {
      parts.push(current);
      current = paragraph;
    } else {
      current = candidate;
    }
  }
  if (current) parts.push(current);
  // Feedback and follow-ups belong to the answer as a whole: only its last part carries them.
  return parts.map((text, index) => {
    const last = index === parts.length - 1;
    return renderTextReply(answer, {
      ...options,
      text,
      feedbackLoop: options.feedbackLoop && last,
      followUps: last ? options.followUps : undefined,
    });
  });
}

function sliceLong(paragraph: string): string[] {
  const slices: string[] = [];
  for (let start = 0; start < paragraph.length; start += sliceCharacters)
    slices.push(paragraph.slice(start, start + sliceCharacters));
  return slices;
}
