import type { EntryRecord } from '../indexing/chunking.js';
import type { EntryType } from '../knowledge/schemas.js';
import type { Vocabulary } from '../knowledge/vocabulary.js';

/** Restrictions a question or a user can put on results; every list means "any of". */
export interface SearchFilters {
  types?: EntryType[];
  countries?: string[];
  regions?: string[];
  levels?: string[];
  facets?: string[];
  lifecycleStages?: string[];
  yearFrom?: number;
  yearTo?: number;
  /** Methods the asker ruled out ("not another hackathon"): entries using them are left out. */
  excludedMethods?: string[];
}

/** True when no filter is set. */
export function hasFilters(filters: SearchFilters | undefined): boolean {
  if (!filters) return false;
  return Object.values(filters).some((value) =>
    Array.isArray(value) ? value.length > 0 : value !== undefined,
  );
}

const anyOf = (wanted: string[] | undefined, actual: string[]) =>
  !wanted || wanted.length === 0 || actual.some((value) => wanted.includes(value));

/**
 * Whether an entry passes the filters. Entries without the filtered field (e.g. a toolkit's country)
 * fail it.
 */
export function matchesFilters(entry: EntryRecord, filters: SearchFilters): boolean {
  if (!anyOf(filters.types, [entry.type])) return false;
  if (!anyOf(filters.countries, entry.country ? [entry.country] : [])) return false;
  if (!anyOf(filters.regions, entry.region ? [entry.region] : [])) return false;
  if (!anyOf(filters.levels, entry.level ? [entry.level] : [])) return false;
  if (!anyOf(filters.facets, entry.facets)) return false;
  if (!anyOf(filters.lifecycleStages, entry.lifecycleStages)) return false;
  if (filters.excludedMethods?.some((method) => entry.methods.includes(method))) return false;
  if (filters.yearFrom !== undefined || filters.yearTo !== undefined) {
    if (entry.year === undefined || entry.year === null) return false;
    if (filters.yearFrom !== undefined && entry.year < filters.yearFrom) return false;
    if (filters.yearTo !== undefined && entry.year > filters.yearTo) return false;
  }
  return true;
}

/** The vocabulary's country name for what a person typed ("uk", "Dutch", "korea"), if any. */
export function resolveCountry(text: string, vocabulary: Vocabulary): string | undefined {
  const wanted = text.trim().toLowerCase();
  for (const country of vocabulary.countries.values()) {
    if (
      country.name.toLowerCase() === wanted ||
      country.aliases.some((alias) => alias.toLowerCase() === wanted)
    )
      return country.name;
  }
  return undefined;
}

/** The region slug for what a person typed ("Latin America", "europe"), if any. */
export function resolveRegion(text: string, vocabulary: Vocabulary): string | undefined {
  const wanted = text.trim().toLowerCase();
  for (const [slug, label] of vocabulary.regions) {
    if (slug === wanted || label.toLowerCase() === wanted || label.toLowerCase().startsWith(wanted))
      return slug;
  }
  return undefined;
}
