import type { Glossary } from '../../knowledge/translations.js';
import { functionWordsOf } from '../../text/function-words.js';
import { tokenize } from '../../text/tokenize.js';

/**
 * Word-for-word English for a message in another language, phrase by phrase (longest first),
 * so that the English reader and the English index can work on it. Function words go; words
 * the glossary does not know stay (names, numbers and cognates such as "design" or "hackathon").
 * Sentence punctuation and line breaks are kept: intents and portfolio lists depend on them.
 */
export function translateToEnglish(text: string, language: string, glossary: Glossary): string {
  const table = glossary.phrases.get(language);
  if (language === 'en' || !table) return text;
  const longest = glossary.longest.get(language) ?? 1;
  const skip = functionWordsOf(language);
  return text
    .split('\n')
    .map((line) =>
      line
        .split(/(?<=[.?!;:])\s+/)
        .map((sentence) => {
          const end = /[.?!;:]$/.exec(sentence.trim())?.[0] ?? '';
          const tokens = tokenize(sentence);
          const out: string[] = [];
          for (let index = 0; index < tokens.length;) {
            let matched = false;
            for (let size = Math.min(longest, tokens.length - index); size >= 1; size--) {
              const english = table.get(tokens.slice(index, index + size).join(' '));
              if (english !== undefined) {
                if (english) out.push(english);
                index += size;
                matched = true;
                break;
              }
            }
            if (matched) continue;
            const token = tokens[index]!;
            if (!skip.has(token)) out.push(token);
            index += 1;
          }
          // A capital keeps sentence boundaries visible to the sentence splitter.
          const english = out.join(' ');
          return `${english.charAt(0).toUpperCase()}${english.slice(1)}${end}`;
        })
        .join(' '),
    )
    .join('\n');
}
