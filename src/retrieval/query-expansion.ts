import type { Vocabulary } from '../knowledge/vocabulary.js';
import { tokenize } from '../text/tokenize.js';

/**
 * Adds the controlled-vocabulary label of every method or sector whose synonym appears in the
 * question, so "residents vote on the city budget" also searches "participatory budgeting".
 */
export function expandQuery(query: string, vocabulary: Vocabulary): string {
  const words = ` ${tokenize(query).join(' ')} `;
  const additions = new Set<string>();
  for (const terms of [vocabulary.methods, vocabulary.sectors]) {
    for (const term of terms.values()) {
      const phrases = [term.label, ...term.synonyms];
      if (phrases.some((phrase) => phrase.length > 2 && words.includes(` ${tokenize(phrase).join(' ')} `))) {
        additions.add(term.label);
      }
    }
  }
  return additions.size > 0 ? `${query} ${[...additions].join(' ')}` : query;
}
