import type { SearchResult } from '../retrieval/hybrid-search.js';

/**
 * Whether a result is real evidence rather than the nearest of nothing. Off-topic questions
 * share at most two words with any passage and rarely pass 0.6 similarity; dev-set questions
 * that miss one signal nearly always have the other (thresholds read off both sets).
 */
export function isRelevant(result: SearchResult): boolean {
  const similarity = result.similarity ?? 0;
  return result.matchedTerms >= 3 || (result.matchedTerms >= 2 && similarity >= 0.4) || similarity >= 0.72;
}
