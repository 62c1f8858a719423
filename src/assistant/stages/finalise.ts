import type { Answer, Citation } from '../answer.js';
import { keepAllowedLinks, keepValidMarkers, removeMassMentions } from '../safety.js';

/**
 * The last word on every answer, offline or drafted: no mass mentions anywhere, no citation
 * marker without a citation, no link the cited entries do not carry.
 */
export function finaliseAnswer(answer: Answer): Answer {
  const text = finaliseText(answer.text, answer.citations).replace(/\n{3,}/g, '\n\n');
  // Reasons quote entry summaries, so they get the same treatment as the text.
  const clean = <T extends { reason: string }>(item: T): T => ({
    ...item,
    reason: removeMassMentions(item.reason),
  });
  return {
    ...answer,
    text,
    recommendedMethods: answer.recommendedMethods.map(clean),
    peerCases: answer.peerCases.map(clean),
    skills: answer.skills.map(clean),
    portfolio: answer.portfolio.map(clean),
    followUps: answer.followUps.map(removeMassMentions),
  };
}

/** The text rules of finaliseAnswer, also applied to each streamed piece (blank-line runs aside). */
export function finaliseText(text: string, citations: Citation[]): string {
  const allowed = new Set(citations.flatMap((citation) => (citation.url ? [citation.url] : [])));
  return keepAllowedLinks(keepValidMarkers(removeMassMentions(text), citations.length), allowed);
}
