import type { Vocabulary } from '../../knowledge/vocabulary.js';
import type { Glossary } from '../../knowledge/translations.js';
import { stopWords, tokenize } from '../../text/tokenize.js';
import type { Intent } from '../answer.js';
import type { KnowledgeEntry } from '../../knowledge/schemas.js';
import { commonEnglishWords } from '../../text/common-english.js';
import { correctSpelling, SpellingDictionary } from '../understanding/correct-spelling.js';
import { EntryNames, type NamedEntry } from '../understanding/entry-names.js';
import { readFilters, countryPatterns, type FilterRequest } from '../understanding/read-filters.js';
import {
  isHelpRequest,
  readIntents,
  readOrdinal,
  readPortfolioLines,
} from '../understanding/read-intents.js';
import { splitMessage } from '../understanding/split-message.js';
import { escapeRegExp } from '../patterns.js';
import { translateToEnglish } from '../understanding/translate-to-english.js';
import type { SupportedLanguage } from './detect-language.js';

/** What the assistant reads out of a message before searching. */
export interface Understanding {
  /** The asks, in the order made; one or more. */
  intents: Intent[];
  /** English search text of the challenge: no greetings, self-description or filter words. */
  topic: string;
  filters: FilterRequest[];
  /** 1-based position for "tell me more about the second one" (-1: the last). */
  ordinal?: number;
  /** True when the message only narrows the previous one ("only local government"). */
  refinesPrevious: boolean;
  /** Project lines when the message lists a portfolio. */
  projects: string[];
  /** The message in English (translated offline, spelling corrected). */
  english: string;
  corrections: string[];
  /** Entries the message names ("data literacy", "the toolkit of toolkits"). */
  named: NamedEntry[];
  /** The ask sentences alone, in English: a long message's question without its background. */
  asks: string;
}

/** What the understanding stage needs from the knowledge base. */
export interface UnderstandingResources {
  vocabulary: Vocabulary;
  glossary: Glossary;
  spelling: SpellingDictionary;
  entryNames: EntryNames;
  currentYear?: number;
}

/**
 * Built once per knowledge base: the words a misspelling may be corrected towards (the entries'
 * own and the vocabulary's, with method and sector names winning close calls, and common English
 * left alone) and the names entries go by.
 */
export function understandingResources(
  entries: KnowledgeEntry[],
  vocabulary: Vocabulary,
  glossary: Glossary,
  currentYear?: number,
): UnderstandingResources {
  const keyTexts = [...vocabulary.methods.values(), ...vocabulary.sectors.values()].flatMap((term) => [
    term.label,
    ...term.synonyms,
  ]);
  const entryTexts = entries.flatMap((entry) => [
    entry.title,
    entry.summary,
    ...entry.sections.map((section) => `${section.heading} ${section.text}`),
  ]);
  return {
    vocabulary,
    glossary,
    spelling: new SpellingDictionary([...entryTexts, ...keyTexts], keyTexts, commonEnglishWords()),
    entryNames: new EntryNames(entries),
    currentYear,
  };
}

// Words that carry no topic in a follow-up such as "any examples in Latin America?".
const followUpWords = new Set(
  (
    'only examples example cases case any show just government governments level ones what about ' +
    'those these same also instead countries country peers there'
  ).split(' '),
);

/** Reads intents, topic, filters and follow-up cues from a (normalised) message, offline. */
export function understandMessage(
  text: string,
  language: SupportedLanguage,
  resources: UnderstandingResources,
): Understanding {
  const translated = translateToEnglish(text, language, resources.glossary);
  // Only English is corrected: an untranslated Dutch word is not a misspelt English one.
  const { text: english, corrections } =
    language === 'en'
      ? correctSpelling(translated, resources.spelling)
      : { text: translated, corrections: [] };
  const projects = readPortfolioLines(english);
  const ordinal = readOrdinal(english);
  const sentences = splitMessage(english);
  const asks = sentences.filter((sentence) => sentence.isAsk && !sentence.isPleasantry);
  const askText = (asks.length > 0 ? asks : sentences).map((sentence) => sentence.text).join(' ');
  // A message with no sentence read as an ask ("innovation lab examples from Scandinavia") is the ask.
  const filterSentences =
    asks.length > 0
      ? sentences
      : sentences.map((sentence) => ({
          ...sentence,
          isAsk: !sentence.isPleasantry && !sentence.isSelfDescription,
        }));
  const filters = readFilters(filterSentences, resources.vocabulary, resources.currentYear);

  let intents: Intent[];
  if (projects.length >= 2) intents = ['portfolio'];
  else if (ordinal !== undefined) intents = ['entry_detail'];
  else if (isHelpRequest(english) || sentences.every((sentence) => sentence.isPleasantry)) intents = ['help'];
  else intents = readIntents(askText);
  // The message as written keeps acronyms in capitals ("l'OPSI"), which the translation lowers.
  const named = resources.entryNames.namedIn(`${text}\n${english}`);
  // "What does data literacy mean for a policy officer?" asks about a skill, not a definition.
  if (intents.length === 1 && intents[0] === 'question' && named.some((entry) => entry.type === 'skill'))
    intents = ['skills'];

  const topic = topicOf(sentences, filters, resources.vocabulary);
  const topicWords = tokenize(topic).filter((word) => !stopWords.has(word) && !followUpWords.has(word));
  const refinesPrevious =
    intents[0] !== 'portfolio' &&
    intents[0] !== 'entry_detail' &&
    filters.some((filter) => filter.strength === 'hard') &&
    topicWords.length <= 1;
  return {
    intents,
    topic,
    filters,
    ordinal,
    refinesPrevious,
    projects,
    english,
    corrections,
    named,
    asks: askText.replace(chatFiller, ' ').replace(/\s+/g, ' ').trim(),
  };
}

// Words of chat, not of the challenge. Rare in the knowledge base, they would otherwise outrank
// the topic's own words when the search keeps a question's rarest terms.
const chatFiller = new RegExp(
  `\\b(?:${[
    'someone',
    'somebody',
    'anyone',
    'anybody',
    'everyone',
    'folks',
    'guys',
    'explain',
    'explained',
    'plain english',
    'in plain',
    'exactly',
    'actually',
    'basically',
    'concretely',
    'honestly',
    'really',
    'please',
    'thanks',
    'thank you',
    'kind of',
    'sort of',
    'some kind',
    'wondering',
    'curious',
    'quick question',
    'at the moment',
    'these days',
    'right now',
    'i guess',
    'maybe',
    'perhaps',
    'etc',
    'btw',
    'lol',
    'pls',
    'thx',
    // The scaffolding of an ask, not its subject: "which countries already have one we could visit?"
    'how should we go about',
    'go about',
    'which countries',
    'which governments',
    'which cities',
    'already have one',
    'already',
    'we could visit',
    'could visit',
    'do this well',
    'doing this well',
    'would you suggest',
    'would you recommend',
    'something similar',
    'anything similar',
  ].join('|')})\\b`,
  'gi',
);

function contentWords(text: string): number {
  return tokenize(text).filter((word) => !stopWords.has(word) && word.length > 2).length;
}

/** The challenge sentences, without greetings, self-introductions and the words of hard filters. */
function topicOf(
  sentences: ReturnType<typeof splitMessage>,
  filters: FilterRequest[],
  vocabulary: Vocabulary,
): string {
  let kept = sentences.filter((sentence) => !sentence.isPleasantry && !sentence.isSelfDescription);
  // A paragraph of background: the asks and the sentence just before each carry the challenge;
  // when that sentence says little ("Honestly I don't know where to begin."), the one before too.
  if (kept.length >= 4 && kept.some((sentence) => sentence.isAsk)) {
    const carried = new Set<number>();
    kept.forEach((sentence, index) => {
      if (!sentence.isAsk) return;
      carried.add(index);
      for (let before = index - 1; before >= 0 && before >= index - 2; before--) {
        carried.add(before);
        if (contentWords(kept[before]!.text) >= 4) break;
      }
    });
    kept = kept.filter((_, index) => carried.has(index));
  }
  let topic = ` ${(kept.length > 0 ? kept : sentences)
    .map((sentence) => sentence.text.replace(/^(?:context|background|question|q|problem|ask)\s*:\s*/i, ''))
    .join(' ')} `;
  for (const filter of filters) {
    if (filter.field === 'countries')
      for (const { country, name } of countryPatterns(vocabulary))
        if (country === filter.value)
          topic = topic.replace(new RegExp(`\\b${escapeRegExp(name)}\\b`, 'gi'), ' ');
    // "the Nordics", "not another hackathon": the words that asked are not what to search for.
    if ((filter.field === 'countries' || filter.field === 'excludedMethods') && filter.phrase)
      topic = topic.replace(new RegExp(`\\b${escapeRegExp(filter.phrase)}\\b`, 'gi'), ' ');
    // "in cities only" asks for a level; "cities" is not what the cases are about.
    if (filter.field === 'levels' && filter.strength === 'hard' && filter.phrase)
      topic = topic.replace(new RegExp(`\\b${escapeRegExp(filter.phrase)}\\b`, 'gi'), ' ');
    if (filter.field === 'yearFrom' || filter.field === 'yearTo')
      topic = topic.replace(/\b(?:since|after|from|before|until|up to|prior to)\s+(?:19|20)\d\d\b/gi, ' ');
  }
  return topic
    .replace(
      /\b(?:only|just)\s+(?:the\s+)?(?:local|regional|national|state|federal)\s+(?:governments?|level)\b/gi,
      ' ',
    )
    .replace(chatFiller, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
