import type { CountryGroup, Vocabulary } from '../../knowledge/vocabulary.js';
import type { SearchFilters } from '../../retrieval/filters.js';
import { anyOf, concat, either, escapeRegExp, regex } from '../patterns.js';
import { readRefusals } from './read-refusals.js';

/**
 * A restriction read from a message. `hard` when the user asks for it ("only local government",
 * "examples from Latin America", "since 2018", "in Estonia?"); `soft` when they describe
 * themselves or their topic ("I work in a regional government", "our Dutch ministry"): a soft
 * filter favours matching entries and never empties an answer.
 */
export interface FilterRequest {
  field: 'countries' | 'regions' | 'levels' | 'facets' | 'yearFrom' | 'yearTo' | 'excludedMethods';
  value: string | number;
  strength: 'hard' | 'soft';
  /** Plain words for the answer: "local government", "in Estonia", "launched since 2018". */
  note: string;
  /**
   * The words of the message that asked for it ("in cities", "the Nordics", "not another
   * hackathon"), kept out of the search topic.
   */
  phrase?: string;
}

const regionPhrases: [RegExp, string, string][] = [
  [
    /\blatin america\w*|\bsouth america\w*|\bcaribbean\b/i,
    'latin-america-caribbean',
    'in Latin America and the Caribbean',
  ],
  [/\beurope\b|\beuropean\b(?! (union|commission))/i, 'europe', 'in Europe'],
  [/\b(sub-saharan )?africa\w*\b(?! and the middle east)/i, 'sub-saharan-africa', 'in Sub-Saharan Africa'],
  [/\basia\w*\b|\bpacific\b/i, 'asia-pacific', 'in Asia-Pacific'],
  [
    /\bmiddle east\b|\bnorth africa\b|\bmena\b|\barab\b/i,
    'middle-east-north-africa',
    'in the Middle East and North Africa',
  ],
  [/\bnorth america\w*\b/i, 'north-america', 'in North America'],
];

const levelWords: [RegExp, string, string][] = [
  [
    /\b(?:local|municipal\w*|cit(?:y|ies)|towns?|councils?|municipalit(?:y|ies)|mayors?)\b/i,
    'local',
    'local government',
  ],
  [
    /\b(?:regional|regions?|state|states|provincial|provinces?|länder|cantons?|counties|county)\b/i,
    'regional',
    'regional or state government',
  ],
  [/\b(?:national|federal|central)\b/i, 'national', 'national government'],
];

// "only local", "at local level", "local government(s)", "from cities", "in municipalities".
const askedLevel = regex(
  'i',
  either(
    concat(
      /\b(?:only|just|solely|exclusively|at|in|from|by|among|for)\s+(?:the\s+)?(?:\w+\s+)?/,
      anyOf(
        /local|municipal\w*|cit(?:y|ies)|towns?|councils?|municipalit(?:y|ies)|regional|regions?/,
        /state|states|provincial|provinces?|national|federal|central/,
      ),
      /\b/,
    ),
    concat(
      /\b(?:local|municipal|regional|state|provincial|national|federal|central)/,
      /[- ](?:governments?|levels?|authorit\w+|administrations?)\b/,
    ),
  ),
);
// Topic phrases that contain a level word but ask for no level: "the city budget", "state aid".
const levelInTopic = regex(
  'i',
  either(
    concat(
      /\b(?:city|state|national|local|regional)\s+/,
      anyOf(/budget|hall|data|aid|of the art|election\w*|strategy|plan/, /parks?|library|council meeting/),
      /\b/,
    ),
    /\bstate[- ]of[- ]the[- ]art\b|\bstate of\b|\bnation[- ]?state\b/,
  ),
);

// The asker describing themselves or their own organisation: never a hard filter.
const selfDescription = regex(
  'i',
  /\b/,
  anyOf(
    /i\s*'?\s*m|i am|i work|we\s*'?\s*re|we are|we work|working|based|my|our|here at/,
    /i lead|i run|i head|i manage|i'm from|i come from|we come from|from the/,
  ),
  /\b/,
);

// A place asked for: "examples from X", "cases in X", "in X?", "X's examples", "anyone in X".
function isAskedPlace(sentence: string, name: string): boolean {
  const n = escapeRegExp(name);
  return (
    // "RCTs from Africa…": a place things come from, in an ask (the asker's own origin is caught apart).
    new RegExp(`\\bfrom\\s+(?:the\\s+)?${n}\\b`, 'i').test(sentence) ||
    new RegExp(`\\b(?:only|just|outside|beyond)\\s+(?:in\\s+|from\\s+)?(?:the\\s+)?${n}`, 'i').test(
      sentence,
    ) ||
    new RegExp(
      '\\b(?:examples?|cases?|peers?|initiatives?|projects?|practices?|anyone|anybody|someone|' +
        'countries|cities|governments?|ministries|municipalities|who|done|tried|used|work(?:ed)?)\\b' +
        `[^.?!]{0,40}\\b(?:in|from|by|across|within|at)\\s+(?:the\\s+)?${n}\\b`,
      'i',
    ).test(sentence) ||
    new RegExp(
      `\\b(?:in|from)\\s+(?:the\\s+)?${n}\\b[\\s,.?!–—-]*` +
        '(?:(?:any|anyone|anybody|please|examples?|cases?)\\b)?\\s*\\??\\s*$',
      'i',
    ).test(sentence.trim()) ||
    new RegExp(
      `\\b${n}(?:'s|n)?\\s+(?:examples?|cases?|peers?|governments?|ministries|cities|municipalities)\\b`,
      'i',
    ).test(sentence)
  );
}

/** Countries, regions, levels, facets and years a message names, each with its strength. */
export function readFilters(
  sentences: { text: string; isAsk: boolean }[],
  vocabulary: Vocabulary,
  currentYear = new Date().getFullYear(),
): FilterRequest[] {
  const found: FilterRequest[] = [];
  const add = (request: FilterRequest) => {
    const existing = found.find((item) => item.field === request.field && item.value === request.value);
    if (!existing) found.push(request);
    else if (request.strength === 'hard') {
      existing.strength = 'hard';
      existing.phrase ??= request.phrase;
    }
  };
  for (const { text, isAsk } of sentences) {
    const self = selfDescription.test(text);
    for (const { country, name, pattern } of countryPatterns(vocabulary)) {
      if (!pattern.test(text)) continue;
      const hard = isAsk && isAskedPlace(text, name) && !selfClause(text, name);
      add({ field: 'countries', value: country, strength: hard ? 'hard' : 'soft', note: `in ${country}` });
    }
    for (const { group, name, pattern } of countryGroupPatterns(vocabulary)) {
      if (!pattern.test(text)) continue;
      const hard = isAsk && isAskedPlace(text, name) && !selfClause(text, name);
      for (const country of group.countries)
        add({
          field: 'countries',
          value: country,
          strength: hard ? 'hard' : 'soft',
          note: `in the ${group.name}`,
          phrase: name,
        });
    }
    for (const [pattern, region, note] of regionPhrases) {
      const match = pattern.exec(text);
      if (!match) continue;
      const hard = isAsk && isAskedPlace(text, match[0]) && !selfClause(text, match[0]);
      add({ field: 'regions', value: region, strength: hard ? 'hard' : 'soft', note });
    }
    const cleaned = text.replace(levelInTopic, ' ');
    // "across national, regional and municipal administrations" names every level: no restriction.
    const levelsNamed = levelWords.filter(([pattern]) => pattern.test(cleaned)).length;
    const acrossLevels = levelsNamed >= 2 && !/\b(?:only|just|solely|exclusively)\b/i.test(text);
    if (!acrossLevels && (!levelInTopic.test(text) || askedLevel.test(cleaned))) {
      const asked = askedLevel.exec(cleaned);
      // The level inside the asked phrase ("only regional government") wins over one said in passing
      // ("we're a province, not a city").
      const askedEntry = asked ? levelWords.find(([pattern]) => pattern.test(asked[0])) : undefined;
      const entry = askedEntry ?? levelWords.find(([pattern]) => pattern.test(cleaned));
      if (entry) {
        const [pattern, level, note] = entry;
        const match = pattern.exec(cleaned)!;
        const hard = isAsk && askedEntry !== undefined && !(self && selfClause(cleaned, match[0]));
        // A bare level word ("cities") outside an ask or a self-description says little.
        if (hard || self || asked)
          add({ field: 'levels', value: level, strength: hard ? 'hard' : 'soft', note, phrase: asked?.[0] });
      }
    }
    for (const [pattern, facet] of facetPhrases) {
      if (pattern.test(text))
        add({
          field: 'facets',
          value: facet,
          strength: /\bonly\b/i.test(text) && isAsk ? 'hard' : 'soft',
          note: `${facet} facet`,
        });
    }
    readYears(text, isAsk, currentYear).forEach(add);
    // A method ruled out is ruled out wherever it is said.
    for (const { term, phrase } of readRefusals(text, vocabulary.methods))
      add({
        field: 'excludedMethods',
        value: term.slug,
        strength: 'hard',
        note: `without ${term.label.toLowerCase()}`,
        phrase,
      });
  }
  // A country named and its region named too ("Estonia in Europe") would double-filter.
  if (found.some((item) => item.field === 'countries' && item.strength === 'hard'))
    for (const item of found) if (item.field === 'regions') item.strength = 'soft';
  return found;
}

// A year followed by "agenda", "goals", "strategy"… names a topic ("the 2030 agenda"), not a filter.
const notATopicYear = /(?!\s*(?:agenda|goals?|targets?|strategy|vision|plan))/;
const sinceYear = regex(
  'i',
  /\b(?:since|after|from|launched in or after)\s+((?:19|20)\d\d)\b/,
  notATopicYear,
);
const beforeYear = regex('i', /\b(?:before|until|up to|prior to)\s+((?:19|20)\d\d)\b/, notATopicYear);

/** "since 2018", "after 2015", "before 2020": past years only; "by 2040" or "the 2030 agenda" are topic. */
function readYears(text: string, isAsk: boolean, currentYear: number): FilterRequest[] {
  const requests: FilterRequest[] = [];
  const since = sinceYear.exec(text);
  const before = beforeYear.exec(text);
  if (since && Number(since[1]) <= currentYear)
    requests.push({
      field: 'yearFrom',
      value: Number(since[1]) + (/after/i.test(since[0]) ? 1 : 0),
      strength: isAsk ? 'hard' : 'soft',
      note: `launched ${since[0].toLowerCase()}`,
    });
  if (before && Number(before[1]) <= currentYear + 1)
    requests.push({
      field: 'yearTo',
      value: Number(before[1]) - (/before|prior/i.test(before[0]) ? 1 : 0),
      strength: isAsk ? 'hard' : 'soft',
      note: `launched ${before[0].toLowerCase()}`,
    });
  return requests;
}

/** Whether the place sits in the asker's own description ("our Dutch ministry", "I work in Ohio"). */
function selfClause(text: string, name: string): boolean {
  const n = escapeRegExp(name);
  return new RegExp(
    `\\b(?:my|our|i\\s*'?\\s*m|i am|i work|we\\s*'?\\s*re|we are|we work|based|here)\\b[^.?!,;]{0,50}\\b${n}`,
    'i',
  ).test(text);
}

const facetPhrases: [RegExp, string][] = [
  [/\benhancement[- ]oriented\b/i, 'enhancement-oriented'],
  [/\bmission[- ]oriented\b/i, 'mission-oriented'],
  [/\badaptive (innovation|facet)\b/i, 'adaptive'],
  [/\banticipatory (innovation|facet)\b/i, 'anticipatory'],
];

/** The search filters of the requests of one strength. */
export function filtersOf(requests: FilterRequest[], strength: 'hard' | 'soft'): SearchFilters {
  const filters: SearchFilters = {};
  for (const request of requests) {
    if (request.strength !== strength) continue;
    if (request.field === 'yearFrom' || request.field === 'yearTo')
      filters[request.field] = request.value as number;
    else (filters[request.field] ??= []).push(request.value as string);
  }
  return filters;
}

/** A place name as a whole word, also next to accented letters and punctuation. */
const wholeName = (name: string, flags: string) =>
  new RegExp(`(^|[^\\p{L}])${escapeRegExp(name)}(?=$|[^\\p{L}])`, flags);

const patternsByVocabulary = new WeakMap<Vocabulary, { country: string; name: string; pattern: RegExp }[]>();

/** One pattern per country name or alias, built once per vocabulary rather than per question. */
export function countryPatterns(
  vocabulary: Vocabulary,
): { country: string; name: string; pattern: RegExp }[] {
  let patterns = patternsByVocabulary.get(vocabulary);
  if (!patterns) {
    patterns = [...vocabulary.countries.values()]
      .filter((country) => country.region !== 'international')
      .flatMap((country) =>
        [country.name, ...country.aliases].map((name) => ({
          country: country.name,
          name,
          // Short aliases ("US", "UK", "EU") only count in capitals, so "help us" is not a place.
          pattern: name.length <= 3 ? wholeName(name.toUpperCase(), 'u') : wholeName(name, 'ui'),
        })),
      );
    patternsByVocabulary.set(vocabulary, patterns);
  }
  return patterns;
}

const groupPatternsByVocabulary = new WeakMap<
  Vocabulary,
  { group: CountryGroup; name: string; pattern: RegExp }[]
>();

/** "the Nordics", "Scandinavia", "Baltic states": names of a group, longest first. */
function countryGroupPatterns(
  vocabulary: Vocabulary,
): { group: CountryGroup; name: string; pattern: RegExp }[] {
  let patterns = groupPatternsByVocabulary.get(vocabulary);
  if (!patterns) {
    patterns = vocabulary.countryGroups
      .flatMap((group) => [group.name, ...group.aliases].map((name) => ({ group, name })))
      .sort((a, b) => b.name.length - a.name.length)
      .map(({ group, name }) => ({
        group,
        name,
        pattern: wholeName(name, 'ui'),
      }));
    groupPatternsByVocabulary.set(vocabulary, patterns);
  }
  return patterns;
}
