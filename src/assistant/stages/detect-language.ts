import { eld } from 'eld/extrasmall';
import { functionWordsOf } from '../../text/function-words.js';
import { stopWords as englishStopWords, tokenize } from '../../text/tokenize.js';

/** The languages the Navigator understands; answers are written in English unless a model drafts them. */
export const supportedLanguages = ['en', 'fr', 'es', 'de', 'pt', 'it', 'nl'] as const;
export type SupportedLanguage = (typeof supportedLanguages)[number];

export const languageNames: Record<SupportedLanguage, string> = {
  en: 'English',
  fr: 'French',
  es: 'Spanish',
  de: 'German',
  pt: 'Portuguese',
  it: 'Italian',
  nl: 'Dutch',
};

/*
 * eld (n-gram detector) was picked over franc and tinyld on short chat messages: on 21 one-line
 * questions in the seven languages it got 21 right, franc and tinyld 19 each (both mixed up
 * Portuguese, Italian and Spanish). Its smallest database loads in ~150 ms and needs ~80 MB.
 */
eld.setLanguageSubset([...supportedLanguages]);

const foreignStopWords = new Map(
  supportedLanguages
    .filter((language) => language !== 'en')
    .map((language) => [
      language,
      new Set([...functionWordsOf(language)].filter((word) => !englishStopWords.has(word))),
    ]),
);

/**
 * The language of a message, among the seven supported; "en" when the text is too short to tell.
 * An English question full of place names ("Porto Alegre participatory budgeting?") can look
 * Portuguese to n-grams, so English function words outvote a weak detection.
 */
export function detectLanguage(text: string): SupportedLanguage {
  return languageIfSure(text) ?? 'en';
}

/** The language of a message, or undefined when it is too short or too mixed to tell. */
export function languageIfSure(text: string): SupportedLanguage | undefined {
  const words = tokenize(text);
  if (words.length < 2) return undefined;
  const detected = eld.detect(text).language as SupportedLanguage | '';
  if (!detected || !supportedLanguages.includes(detected)) return undefined;
  if (detected === 'en') return 'en';
  const english = words.filter((word) => englishStopWords.has(word)).length;
  const foreign = words.filter((word) => foreignStopWords.get(detected)?.has(word)).length;
  return foreign === 0 && english > 0 ? 'en' : english > foreign * 2 ? 'en' : detected;
}
