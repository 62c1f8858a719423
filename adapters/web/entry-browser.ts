import type { KnowledgeEntry, LoadedKnowledge } from '../../src/index.js';
import type { ApiRoute } from './api-route.js';
import { entriesQuerySchema, entriesSchema, type Entries } from './api-schemas.js';
import type { z } from 'zod';

// The entry browser, with the filters of OPSI's case library (country, level, sector, stage, facet,
// year) and of the Toolkit Navigator (facet, stage, discipline, licence, reuse).

export const entriesRoute = {
  method: 'get',
  path: '/api/curate/entries',
  summary: 'Cases or toolkits, filtered as in the case library and the Toolkit Navigator',
  access: 'curator',
  query: entriesQuerySchema,
  response: entriesSchema,
} satisfies ApiRoute;

type EntriesQuery = z.output<typeof entriesQuerySchema>;
type Case = Extract<KnowledgeEntry, { type: 'case' }>;
type Toolkit = Extract<KnowledgeEntry, { type: 'toolkit' }>;

const caseFilters = {
  country: (entry: Case) => [entry.country],
  level: (entry: Case) => [entry.level],
  sector: (entry: Case) => entry.sectors,
  stage: (entry: Case) => [entry.lifecycle_stage],
  facet: (entry: Case) => entry.facets,
  year: (entry: Case) => (entry.year ? [String(entry.year)] : []),
};

const toolkitFilters = {
  facet: (entry: Toolkit) => entry.facets,
  stage: (entry: Toolkit) => entry.lifecycle_stages,
  discipline: (entry: Toolkit) => entry.disciplines,
  licence: (entry: Toolkit) => [entry.licence],
  reuse: (entry: Toolkit) => [entry.reuse],
};

function filtered<Entry>(
  entries: Entry[],
  filters: Record<string, (entry: Entry) => string[]>,
  query: EntriesQuery,
): { entries: Entry[]; options: Record<string, string[]> } {
  const wanted = Object.entries(filters).filter(([name]) => query[name as keyof EntriesQuery] !== undefined);
  const matches = entries.filter((entry) =>
    wanted.every(([name, valuesOf]) => valuesOf(entry).includes(String(query[name as keyof EntriesQuery]))),
  );
  const options = Object.fromEntries(
    Object.entries(filters).map(([name, valuesOf]) => [
      name,
      [...new Set(entries.flatMap(valuesOf))].sort((a, b) => a.localeCompare(b)),
    ]),
  );
  return { entries: matches, options };
}

/** The entries of one type matching every given filter, and each filter's possible values. */
export function browseEntries(knowledge: LoadedKnowledge, query: EntriesQuery): Entries {
  if (query.type === 'case') {
    const cases = knowledge.entries.filter((entry): entry is Case => entry.type === 'case');
    const result = filtered(cases, caseFilters, query);
    return {
      options: result.options,
      entries: result.entries.map((entry) => ({
        id: entry.id,
        type: entry.type,
        title: entry.title,
        summary: entry.summary,
        file: entry.file,
        url: entry.sources[0],
        facets: entry.facets,
        stages: [entry.lifecycle_stage],
        details: [
          entry.country,
          entry.level,
          entry.organisation,
          entry.year ? String(entry.year) : 'year unknown',
        ],
      })),
    };
  }
  const toolkits = knowledge.entries.filter((entry): entry is Toolkit => entry.type === 'toolkit');
  const result = filtered(toolkits, toolkitFilters, query);
  return {
    options: result.options,
    entries: result.entries.map((entry) => ({
      id: entry.id,
      type: entry.type,
      title: entry.title,
      summary: entry.summary,
      file: entry.file,
      url: entry.url,
      facets: entry.facets,
      stages: entry.lifecycle_stages,
      details: [entry.publisher, `licence: ${entry.licence}`, `reuse: ${entry.reuse}`, ...entry.disciplines],
    })),
  };
}
