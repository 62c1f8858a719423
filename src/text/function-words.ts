import { createRequire } from 'node:module';
import { tokenize } from './tokenize.js';

// stopwords-iso ships one JSON file (function words per ISO 639-1 language); require reads it on Node 20.
const stopwordsIso = createRequire(import.meta.url)('stopwords-iso') as Record<string, string[]>;
const cache = new Map<string, Set<string>>();

/** Function words of a language (articles, prepositions, pronouns), tokenised as the index tokenises. */
export function functionWordsOf(language: string): Set<string> {
  let words = cache.get(language);
  if (!words) {
    words = new Set((stopwordsIso[language] ?? []).flatMap((word) => tokenize(word)));
    cache.set(language, words);
  }
  return words;
}
