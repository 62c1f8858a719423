import type { SearchFilters } from '../../retrieval/filters.js';
import type { Intent } from '../answer.js';
import type { Retrieval } from './retrieve.js';

/**
 * A bare question becomes a practical ask once the search has seen the message: a described
 * challenge of a known kind ("how does one get out of this?") wants methods, and a question
 * with a place or level ("basic income pilots in cities only?") wants cases there. A request
 * for a definition stays a question.
 */
export function settleIntents(
  intents: Intent[],
  topic: string,
  retrieval: Pick<Retrieval, 'challengeKinds'>,
  hardFilters: SearchFilters,
): Intent[] {
  if (intents.length !== 1 || intents[0] !== 'question' || asksDefinition(topic)) return intents;
  if (retrieval.challengeKinds.length > 0) return ['recommend_methods'];
  if (hardFilters.countries || hardFilters.regions || hardFilters.levels) return ['peer_cases'];
  return intents;
}

/** "What is…", "explain…": a request for a definition. */
export function asksDefinition(text: string): boolean {
  return /\b(what(?:'s| is| are| does)|explain|define|definition|meaning|mean)\b/i.test(text);
}
