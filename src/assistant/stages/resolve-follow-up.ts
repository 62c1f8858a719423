import type { SearchFilters } from '../../retrieval/filters.js';
import type { Intent } from '../answer.js';
import type { ConversationState } from '../conversation-store.js';
import { filtersOf } from '../understanding/read-filters.js';
import type { Understanding } from './understand.js';

/** What the rest of the pipeline asks about, once a follow-up is read against the conversation. */
export interface ResolvedAsk {
  topic: string;
  intents: Intent[];
  hardFilters: SearchFilters;
  softFilters: SearchFilters;
  /** Plain words of the hard filters, for "Peer cases (in Estonia)". */
  hardNotes: string[];
}

/**
 * "Only local government" after a question narrows that question (its topic, its ask, its
 * filters and the new one); anything else stands alone. A facet named in a concept or skills
 * question is its subject, not a filter.
 */
export function resolveFollowUp(
  understanding: Understanding,
  state: ConversationState | undefined,
): ResolvedAsk {
  let topic = understanding.topic;
  let intents = understanding.intents;
  let hardFilters = filtersOf(understanding.filters, 'hard');
  const softFilters = filtersOf(understanding.filters, 'soft');
  let hardNotes = understanding.filters
    .filter((filter) => filter.strength === 'hard')
    .map((filter) => filter.note);
  if (understanding.refinesPrevious && state) {
    topic = state.topic;
    intents = [state.intent === 'question' ? 'peer_cases' : state.intent];
    hardFilters = { ...state.filters, ...hardFilters };
    hardNotes = [...(state.filterNotes ?? []), ...hardNotes];
  }
  if (intents.every((intent) => intent === 'question' || intent === 'skills')) {
    hardFilters = { ...hardFilters, facets: undefined };
    hardNotes = hardNotes.filter((note) => !note.endsWith(' facet'));
  }
  // A group of countries ("the Nordics") is one note for its several countries.
  return { topic, intents, hardFilters, softFilters, hardNotes: [...new Set(hardNotes)] };
}
