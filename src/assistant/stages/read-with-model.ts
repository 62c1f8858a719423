import type { Vocabulary } from '../../knowledge/vocabulary.js';
import { facetIds, levelIds } from '../../knowledge/schemas.js';
import type { MessageReader } from '../llm/message-reader.js';
import { readOrdinal } from '../understanding/read-intents.js';
import type { FilterRequest } from '../understanding/read-filters.js';
import type { Understanding } from './understand.js';

/**
 * Lets a language model read the message (intents, English topic, filters with strength).
 * Only vocabulary values are kept; on any failure, or for a portfolio list or a follow-up
 * ordinal (which the offline reader gets right), the offline understanding stands.
 */
export async function readWithModel(
  reader: MessageReader,
  message: string,
  offline: Understanding,
  vocabulary: Vocabulary,
  log: (message: string) => void,
): Promise<Understanding> {
  if (
    offline.intents[0] === 'portfolio' ||
    offline.intents[0] === 'entry_detail' ||
    offline.intents[0] === 'help'
  )
    return offline;
  const allowed = {
    countries: [...vocabulary.countries.keys()],
    regions: [...vocabulary.regions.keys()],
    levels: [...levelIds],
    facets: [...facetIds],
  };
  try {
    const reading = await reader.readMessage(message, allowed);
    const filters: FilterRequest[] = [];
    for (const filter of reading.filters) {
      const value = filter.value;
      const known =
        filter.field === 'yearFrom' || filter.field === 'yearTo'
          ? typeof value === 'number' && value >= 1900 && value <= new Date().getFullYear()
          : (allowed[filter.field] as string[]).includes(String(value));
      if (!known) {
        log(`The language model named an unknown ${filter.field} "${String(value)}"; ignored.`);
        continue;
      }
      filters.push({ ...filter, note: noteOf(filter.field, value) });
    }
    const intents = reading.intents.filter((intent) => intent !== 'portfolio' && intent !== 'entry_detail');
    return {
      ...offline,
      intents: intents.length > 0 ? intents : offline.intents,
      topic: reading.topic,
      // The model is not asked which methods were ruled out; the offline reading's stand.
      filters: [...filters, ...offline.filters.filter((filter) => filter.field === 'excludedMethods')],
      ordinal: readOrdinal(message) ?? offline.ordinal,
    };
  } catch (error) {
    log(`Reading the message offline: ${(error as Error).message}`);
    return offline;
  }
}

function noteOf(field: FilterRequest['field'], value: string | number): string {
  switch (field) {
    case 'countries':
      return `in ${value}`;
    case 'regions':
      return `in ${String(value).replace(/-/g, ' ')}`;
    case 'levels':
      return `${value} government`;
    case 'facets':
      return `${value} facet`;
    case 'yearFrom':
      return `launched since ${value}`;
    case 'yearTo':
      return `launched up to ${value}`;
    case 'excludedMethods':
      return `without ${value}`;
  }
}
