import type { Vocabulary } from '../knowledge/vocabulary.js';
import type { SearchFilters } from '../retrieval/filters.js';
import { stopWords, tokenize } from '../text/tokenize.js';
import type { Intent } from './answer.js';

/** What the assistant reads out of a message before searching. */
export interface Understanding {
  intent: Intent;
  filters: SearchFilters;
  /** Plain-language descriptions of the filters found ("local government", "in Latin America"). */
  filterNotes: string[];
  /** 1-based position for "tell me more about the second one". */
  ordinal?: number;
  /** True when the message only narrows the previous one ("only local government"). */
  refinesPrevious: boolean;
  /** Project lines when the message lists a portfolio. */
  projects: string[];
}

const ordinals: Record<string, number> = {
  first: 1,
  '1st': 1,
  second: 2,
  '2nd': 2,
  third: 3,
  '3rd': 3,
  fourth: 4,
  '4th': 4,
  fifth: 5,
  '5th': 5,
  last: -1,
};

const patterns: { intent: Intent; pattern: RegExp }[] = [
  { intent: 'help', pattern: /^(help|hi|hello|hey|what can you do|how do i use this)\b[\s?!.]*$/i },
  {
    intent: 'skills',
    pattern:
      /\b(skills?|competenc\w*|capabilit\w*|training|upskill\w*|role profiles?|my team (lacks?|needs?|is missing)|which (skill|competenc))/i,
  },
  {
    intent: 'peer_cases',
    pattern:
      /\b((find|show|list|give)( me)? (some )?(cases|examples|peers)|who (else )?(has|have|did|is|are)|has (any|anyone|any \w+) (done|tried|made|built|used)|ha(s|ve) (any|other) (countr|cit|government|ministr|municipalit|region|state|agenc)\w*|have (other|any) \w+ (done|tried)|any (examples?|cases?|peers?)|examples? (of|from|in)|peer (cases?|match\w*)|which (countries|cities|governments|ministries|municipalities)|other (countries|cities|governments)|learn from|done (this|that|something similar)|similar (cases?|projects?|challenges?)|anyone (else )?(done|tried))/i,
  },
  {
    intent: 'recommend_methods',
    pattern:
      /\b(which|what) (methods?|toolkits?|tools?|approach\w*|techniques?)\b|\b(methods?|toolkits?|tools?) (for|to|that)\b|\brecommend\w*\b|\bhow (can|should|do|could|might) (we|i)\b|\bwhere (do|should) (we|i) start\b|\bfits? (a|an|our|my)\b/i,
  },
];

/** Classifies a message: which kind of help is wanted, and which filters it mentions. */
export function understandQuestion(text: string, vocabulary: Vocabulary): Understanding {
  const { filters, notes, residue } = extractFilters(text, vocabulary);
  const projects = portfolioLines(text);
  const ordinal = ordinalOf(text);
  const intent: Intent =
    projects.length >= 2
      ? 'portfolio'
      : ordinal !== undefined
        ? 'entry_detail'
        : (patterns.find(({ pattern }) => pattern.test(text))?.intent ?? 'question');
  const topicWords = tokenize(residue).filter((word) => !stopWords.has(word) && !followUpWords.has(word));
  const refinesPrevious =
    intent !== 'portfolio' && intent !== 'entry_detail' && notes.length > 0 && topicWords.length <= 1;
  return { intent, filters, filterNotes: notes, ordinal, refinesPrevious, projects };
}

// Words that carry no topic in a follow-up such as "any examples in Latin America?".
const followUpWords = new Set([
  'only',
  'examples',
  'example',
  'cases',
  'case',
  'any',
  'show',
  'just',
  'government',
  'level',
  'ones',
  'what',
  'about',
  'those',
  'these',
  'same',
  'also',
  'instead',
  'countries',
  'country',
  'peers',
]);

function ordinalOf(text: string): number | undefined {
  const match =
    /\b(?:more (?:about|on|details? (?:on|about))|details? (?:on|about|of)|expand on|open|explain)\s+(?:the\s+)?(?:number\s+|#)?(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th|\d)\b/i.exec(
      text,
    ) ??
    /^\s*(?:and\s+)?(?:the\s+)?(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\s+one\b/i.exec(
      text,
    ) ??
    /\b(?:the\s+)(first|second|third|fourth|fifth|last)\s+one\b/i.exec(text);
  if (!match) return undefined;
  const word = match[1]!.toLowerCase();
  return ordinals[word] ?? Number(word);
}

/** Lines that look like a list of projects (bullets, numbers, or several short lines). */
function portfolioLines(text: string): string[] {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const items = lines
    .filter((line) => /^([-*•–]|\d+[.)])\s+/.test(line))
    .map((line) => line.replace(/^([-*•–]|\d+[.)])\s+/, '').trim());
  if (items.length >= 2) return items;
  if (lines.length >= 3 && /portfolio|projects?|initiatives?/i.test(lines[0]!)) return lines.slice(1);
  return [];
}

const regionPhrases: [RegExp, string, string][] = [
  [
    /\blatin america\w*|\bsouth america\w*|\bcaribbean\b/i,
    'latin-america-caribbean',
    'in Latin America and the Caribbean',
  ],
  [/\b(in|from|across) europe\b|\beuropean\b(?! (union|commission))/i, 'europe', 'in Europe'],
  [/\b(sub-saharan )?africa\w*\b/i, 'sub-saharan-africa', 'in Sub-Saharan Africa'],
  [/\basia\w*\b|\bpacific\b/i, 'asia-pacific', 'in Asia-Pacific'],
  [
    /\bmiddle east\b|\bnorth africa\b|\bmena\b|\barab\b/i,
    'middle-east-north-africa',
    'in the Middle East and North Africa',
  ],
  [/\bnorth america\w*\b/i, 'north-america', 'in North America'],
];

// A level counts when it is asked for ("only local government", "in cities"), not when it is
// part of the topic ("the city budget").
const levelPhrases: [RegExp, string, string][] = [
  [
    /\b(?:(?:only|just|at|in|from|by)\s+(?:the\s+)?(?:local|municipal\w*|cit(?:y|ies)|towns?|councils?)\b(?!\s+(?:budget|hall|data))|(?:local|municipal) (?:governments?|level|authorit\w+))\b/i,
    'local',
    'local government',
  ],
  [
    /\b(?:(?:only|just|at|in|from|by)\s+(?:the\s+)?(?:regional|state|provincial)\b|(?:regional|state|provincial) (?:governments?|level))\b/i,
    'regional',
    'regional or state government',
  ],
  [
    /\b(?:(?:only|just|at|in|from|by)\s+(?:the\s+)?(?:national|federal|central) (?:governments?|level)|(?:national|federal|central) (?:governments?|level))\b/i,
    'national',
    'national government',
  ],
];

const facetPhrases: [RegExp, string][] = [
  [/\benhancement[- ]oriented\b/i, 'enhancement-oriented'],
  [/\bmission[- ]oriented\b/i, 'mission-oriented'],
  [/\badaptive (innovation|facet)\b/i, 'adaptive'],
  [/\banticipatory (innovation|facet)\b/i, 'anticipatory'],
];

/** Countries, regions, levels, facets and years mentioned in a message, and the rest of the text. */
export function extractFilters(
  text: string,
  vocabulary: Vocabulary,
): { filters: SearchFilters; notes: string[]; residue: string } {
  const filters: SearchFilters = {};
  const notes: string[] = [];
  let residue = ` ${text} `;
  const take = (pattern: RegExp) => {
    residue = residue.replace(pattern, ' ');
  };

  for (const [pattern, region, note] of regionPhrases) {
    if (pattern.test(residue)) {
      (filters.regions ??= []).push(region);
      notes.push(note);
      take(pattern);
    }
  }
  for (const { country, name, pattern } of countryPatterns(vocabulary)) {
    if (pattern.test(residue)) {
      if (!(filters.countries ??= []).includes(country)) filters.countries.push(country);
      take(new RegExp(escape(name), 'gi'));
    }
  }
  if (filters.countries) {
    notes.push(`in ${filters.countries.join(' or ')}`);
    delete filters.regions;
  }
  for (const [pattern, level, note] of levelPhrases) {
    if (pattern.test(text)) {
      (filters.levels ??= []).push(level);
      notes.push(note);
      take(pattern);
      break;
    }
  }
  for (const [pattern, facet] of facetPhrases) {
    if (pattern.test(text)) {
      (filters.facets ??= []).push(facet);
      notes.push(`${facet} facet`);
    }
  }
  const since = /\b(?:since|after|from)\s+((?:19|20)\d\d)\b/i.exec(text);
  const before = /\b(?:before|until|up to)\s+((?:19|20)\d\d)\b/i.exec(text);
  if (since) {
    filters.yearFrom = Number(since[1]) + (/after/i.test(since[0]) ? 1 : 0);
    notes.push(`launched ${since[0].toLowerCase()}`);
    take(new RegExp(escape(since[0]), 'i'));
  }
  if (before) {
    filters.yearTo = Number(before[1]) - (/before/i.test(before[0]) ? 1 : 0);
    notes.push(`launched ${before[0].toLowerCase()}`);
    take(new RegExp(escape(before[0]), 'i'));
  }
  return { filters, notes, residue: residue.trim() };
}

const patternsByVocabulary = new WeakMap<Vocabulary, { country: string; name: string; pattern: RegExp }[]>();

/** One pattern per country name or alias, built once per vocabulary rather than per question. */
function countryPatterns(vocabulary: Vocabulary): { country: string; name: string; pattern: RegExp }[] {
  let patterns = patternsByVocabulary.get(vocabulary);
  if (!patterns) {
    patterns = [...vocabulary.countries.values()]
      .filter((country) => country.region !== 'international')
      .flatMap((country) =>
        [country.name, ...country.aliases].map((name) => ({
          country: country.name,
          name,
          // Short aliases ("US", "UK", "EU") only count in capitals, so "help us" is not a place.
          pattern: new RegExp(
            `(^|[^\\p{L}])${escape(name.length <= 3 ? name.toUpperCase() : name)}(?=$|[^\\p{L}])`,
            name.length <= 3 ? 'u' : 'ui',
          ),
        })),
      );
    patternsByVocabulary.set(vocabulary, patterns);
  }
  return patterns;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
