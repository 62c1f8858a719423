import type { Answer } from '../answer.js';
import { keepAllowedLinks, keepValidMarkers, removeMassMentions } from '../safety.js';

/**
 * The last word on every answer, offline or drafted: no mass mentions anywhere, no citation
 * marker without a citation, no link the cited entries do not carry.
 */
export function finaliseAnswer(answer: Answer): Answer {
  const allowed = new Set(answer.citations.flatMap((citation) => (citation.url ? [citation.url] : [])));
  const text = keepAllowedLinks(
    keepValidMarkers(removeMassMentions(answer.text), answer.citations.length),
    allowed,
  ).replace(/\n{3,}/g, '\n\n');
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
