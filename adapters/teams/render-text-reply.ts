import type { Activity, Entity } from 'botbuilder';
import type { Answer, Citation } from '../../src/index.js';
import { toTeamsMarkdown, truncate } from './card-markdown.js';

// The text form of a reply, with Teams' own AI message features: the "AI generated" label, citation
// entities that Teams turns into numbered [n] pop-ups, and the built-in 👍/👎 feedback loop.
// Teams accepts one root Message entity per activity and at most 10 citations (400 otherwise).

export const maxCitationsPerMessage = 10;

export interface TextReplyOptions {
  /** The Markdown to send; defaults to the answer's text. A split answer sends it in parts. */
  text?: string;
  /** Adds the "AI generated" label: the text was composed by the Navigator, not written by a person. */
  aiGenerated: boolean;
  /** Turns on Teams' 👍/👎 buttons; Teams reports the choice in a message/submitAction invoke. */
  feedbackLoop: boolean;
  /** Suggested next questions as buttons under the message (Teams shows them in personal chats). */
  followUps?: string[];
}

interface Claim {
  '@type': 'Claim';
  position: number;
  appearance: {
    '@type': 'DigitalDocument';
    name: string;
    abstract: string;
    url?: string;
    keywords?: string[];
  };
}

/** Answer → a Teams text message with the label, the citations its [n] markers use, and feedback. */
export function renderTextReply(answer: Answer, options: TextReplyOptions): Partial<Activity> {
  const body = toTeamsMarkdown(options.text ?? answer.text);
  const claims = citationClaims(answer, body);
  const messageEntity: Entity | undefined =
    options.aiGenerated || claims.length > 0
      ? {
          type: 'https://schema.org/Message',
          '@type': 'Message',
          '@context': 'https://schema.org',
          '@id': '',
          ...(options.aiGenerated ? { additionalType: ['AIGeneratedContent'] } : {}),
          ...(claims.length > 0 ? { citation: claims } : {}),
        }
      : undefined;
  return {
    type: 'message',
    text: body,
    textFormat: 'markdown',
    ...(messageEntity ? { entities: [messageEntity] } : {}),
    ...(options.feedbackLoop ? { channelData: { feedbackLoopEnabled: true } } : {}),
    ...(options.followUps && options.followUps.length > 0
      ? {
          suggestedActions: {
            to: [],
            actions: options.followUps
              .slice(0, 3)
              .map((followUp) => ({ type: 'imBack', title: truncate(followUp, 60), value: followUp })),
          },
        }
      : {}),
  };
}

/** A plain notice from the bot (progress, thanks, errors): no label, no citations, no feedback. */
export function renderNotice(text: string): Partial<Activity> {
  return { type: 'message', text, textFormat: 'plain' };
}

/** One claim per [n] marker present in `text`, numbered as in the answer, at most ten. */
function citationClaims(answer: Answer, text: string): Claim[] {
  const used = new Set([...text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])));
  return answer.citations
    .map((citation, index) => ({ citation, position: index + 1 }))
    .filter(({ position }) => used.has(position))
    .slice(0, maxCitationsPerMessage)
    .map(({ citation, position }) => ({
      '@type': 'Claim',
      position,
      appearance: {
        '@type': 'DigitalDocument',
        name: truncate(citation.title, 120),
        abstract: truncate(abstractOf(answer, citation), 160),
        ...(citation.url ? { url: citation.url } : {}),
        keywords: [citation.type],
      },
    }));
}

/** The pop-up's excerpt: why the entry was listed, or what kind of entry it is. */
function abstractOf(answer: Answer, citation: Citation): string {
  const peer = answer.peerCases.find((item) => item.id === citation.id);
  if (peer) return [peer.organisation, peer.country, peer.reason].filter(Boolean).join(' · ');
  const method =
    answer.recommendedMethods.find((item) => item.id === citation.id) ??
    answer.skills.find((item) => item.id === citation.id);
  if (method) return method.reason;
  return `A ${citation.type} in the PSI Navigator knowledge base.`;
}
