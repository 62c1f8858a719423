import type { Term, Vocabulary } from '../knowledge/vocabulary.js';
import { tokenize } from '../text/tokenize.js';

/** The terms (methods, sectors…) whose label or a synonym appears in the text. */
export function termsMentioned(text: string, terms: Map<string, Term>): Term[] {
  const words = ` ${tokenize(text).join(' ')} `;
  return [...terms.values()].filter((term) => term.phrases.some((phrase) => words.includes(phrase)));
}

/**
 * Adds the controlled-vocabulary label of every method or sector whose synonym appears in the
 * question, so "residents vote on the city budget" also searches "participatory budgeting".
 */
export function expandQuery(query: string, vocabulary: Vocabulary): string {
  const additions = new Set(
    [...termsMentioned(query, vocabulary.methods), ...termsMentioned(query, vocabulary.sectors)].map(
      (term) => term.label,
    ),
  );
  return additions.size > 0 ? `${query} ${[...additions].join(' ')}` : query;
}
