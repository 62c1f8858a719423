import { facetsOf, primaryUrlOf, stagesOf, type KnowledgeEntry } from '../knowledge/schemas.js';
import type { Vocabulary } from '../knowledge/vocabulary.js';

/** The part of an entry that retrieval, filters and answers need, without its full body. */
export interface EntryRecord {
  id: string;
  type: KnowledgeEntry['type'];
  title: string;
  summary: string;
  url?: string;
  country?: string;
  region?: string;
  level?: string;
  organisation?: string;
  year?: number | null;
  facets: string[];
  lifecycleStages: string[];
  methods: string[];
  file: string;
}

/** A retrievable passage of one entry. */
export interface Chunk {
  entryId: string;
  heading: string;
  /** Text shown to people and used by the lexical index. */
  text: string;
  /** Controlled-vocabulary labels and synonyms, indexed on the entry's first chunk only. */
  tags: string;
  /** Text given to the embedder: the passage with its entry title for context. */
  embeddingText: string;
}

/** A passage as stored in a build: the embedding text is replaced by its hash, the key for reuse. */
export type StoredChunk = Omit<Chunk, 'embeddingText'> & { embeddingKey: string };

const maxWordsPerChunk = 160;
export const chunkerVersion = 'sections-v2';

/** The record kept in the index for filtering and display. */
export function toEntryRecord(entry: KnowledgeEntry, vocabulary: Vocabulary): EntryRecord {
  const record: EntryRecord = {
    id: entry.id,
    type: entry.type,
    title: entry.title,
    summary: entry.summary.trim(),
    url: primaryUrlOf(entry),
    facets: facetsOf(entry),
    lifecycleStages: stagesOf(entry),
    methods: entry.type === 'case' || entry.type === 'toolkit' ? entry.methods : [],
    file: entry.file,
  };
  if (entry.type === 'case') {
    record.country = entry.country;
    record.region = vocabulary.countries.get(entry.country)?.region;
    record.level = entry.level;
    record.organisation = entry.organisation;
    record.year = entry.year;
  }
  if (entry.type === 'toolkit') {
    record.organisation = entry.publisher;
    record.year = entry.year;
  }
  return record;
}

/**
 * Words from the vocabulary that describe an entry: method and sector labels with synonyms, place,
 * facets.
 */
export function tagsOf(entry: KnowledgeEntry, vocabulary: Vocabulary): string {
  const parts: string[] = [];
  const addTerms = (slugs: string[], terms: Vocabulary['methods']) => {
    for (const slug of slugs) {
      const term = terms.get(slug);
      if (term) parts.push(term.label, ...term.synonyms);
    }
  };
  if (entry.type === 'case' || entry.type === 'toolkit') addTerms(entry.methods, vocabulary.methods);
  if (entry.type === 'case') {
    addTerms(entry.sectors, vocabulary.sectors);
    const country = vocabulary.countries.get(entry.country);
    parts.push(
      entry.country,
      ...(country?.aliases ?? []),
      vocabulary.regions.get(country?.region ?? '') ?? '',
    );
    parts.push(
      vocabulary.levels.get(entry.level) ?? '',
      entry.organisation,
      ...entry.users_and_beneficiaries,
      ...entry.partners,
    );
  }
  if (entry.type === 'toolkit') {
    parts.push(entry.publisher, vocabulary.toolkitTypes.get(entry.toolkit_type) ?? '');
    for (const discipline of entry.disciplines)
      parts.push(vocabulary.disciplines.get(discipline) ?? discipline);
  }
  parts.push(...facetsOf(entry).map((facet) => `${facet.replace('-', ' ')} innovation`));
  return parts.filter(Boolean).join(' ; ');
}

/** Splits an entry into passages: a card (title, summary, tags), then each body section. */
export function chunkEntry(entry: KnowledgeEntry, vocabulary: Vocabulary): Chunk[] {
  const tags = tagsOf(entry, vocabulary);
  // The one-liners that say what an entry is about belong with its summary.
  const gist =
    entry.type === 'case' ? entry.facet_reason : entry.type === 'facet' ? entry.guiding_question : '';
  const card: Chunk = {
    entryId: entry.id,
    heading: 'Summary',
    text: `${entry.title}. ${entry.summary.trim()}${gist ? ` ${gist}` : ''}`,
    tags,
    embeddingText: `${entry.title}. ${entry.summary.trim()} ${gist}`,
  };
  const chunks = [card];
  for (const section of entry.sections) {
    for (const window of splitWords(section.text, maxWordsPerChunk)) {
      chunks.push({
        entryId: entry.id,
        heading: section.heading,
        text: window,
        tags: '',
        embeddingText: `${entry.title}. ${section.heading}. ${window}`,
      });
    }
  }
  return chunks;
}

function splitWords(text: string, size: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length <= size) return [words.join(' ')];
  const windows: string[] = [];
  // Overlap a little so a sentence cut at a boundary is still whole in one window.
  for (let start = 0; start < words.length; start += size - 20) {
    windows.push(words.slice(start, start + size).join(' '));
    if (start + size >= words.length) break;
  }
  return windows;
}
