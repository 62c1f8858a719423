import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { resolveCountry } from '../retrieval/filters.js';
import { renderEntryFile, sectionsFor, slugify } from './entry-files.js';
import { checkVocabulary } from './load-knowledge.js';
import { folderByType, frontMatterSchema } from './schemas.js';
import type { Vocabulary, Term } from './vocabulary.js';

export type ImportType = 'case' | 'toolkit';

export interface ImportOptions {
  knowledgeDir: string;
  vocabulary: Vocabulary;
  file: string;
  type: ImportType;
  /** Overwrite entries that already exist. */
  force?: boolean;
  /** Values for every row, e.g. { level: 'local' }, used where a row has no such column. */
  set?: Record<string, string>;
  /** Extra column → field mappings, e.g. { 'innovation name': 'title' }. */
  map?: Record<string, string>;
  /** Validate and report without writing. */
  dryRun?: boolean;
}

export interface RejectedRow {
  row: number;
  title: string;
  reasons: string[];
}

export interface ImportReport {
  rows: number;
  written: string[];
  rejected: RejectedRow[];
}

// Column names seen in case-library and toolkit exports, normalised (lowercase, letters only).
const columnAliases: Record<string, string> = {
  id: 'id',
  slug: 'id',
  title: 'title',
  name: 'title',
  innovationname: 'title',
  casename: 'title',
  toolkitname: 'title',
  toolkit: 'title',
  summary: 'summary',
  shortdescription: 'summary',
  abstract: 'summary',
  description: 'description',
  details: 'description',
  whatwasdone: 'description',
  longdescription: 'description',
  country: 'country',
  countries: 'country',
  level: 'level',
  levelofgovernment: 'level',
  government: 'level',
  organisation: 'organisation',
  organization: 'organisation',
  agency: 'organisation',
  institution: 'organisation',
  leadorganisation: 'organisation',
  leadorganization: 'organisation',
  organisationtype: 'organisation_type',
  organizationtype: 'organisation_type',
  year: 'year',
  yearlaunched: 'year',
  launched: 'year',
  launchyear: 'year',
  yearpublished: 'year',
  published: 'year',
  sector: 'sectors',
  sectors: 'sectors',
  policyarea: 'sectors',
  policyareas: 'sectors',
  stage: 'lifecycle_stage',
  lifecyclestage: 'lifecycle_stage',
  innovationstage: 'lifecycle_stage',
  stages: 'lifecycle_stages',
  lifecyclestages: 'lifecycle_stages',
  facet: 'facets',
  facets: 'facets',
  innovationfacet: 'facets',
  facetreason: 'facet_reason',
  method: 'methods',
  methods: 'methods',
  methodsused: 'methods',
  partner: 'partners',
  partners: 'partners',
  users: 'users_and_beneficiaries',
  beneficiaries: 'users_and_beneficiaries',
  usersandbeneficiaries: 'users_and_beneficiaries',
  results: 'results',
  lessons: 'lessons',
  problem: 'problem',
  url: 'url',
  link: 'url',
  website: 'url',
  source: 'sources',
  sources: 'sources',
  sourceurl: 'sources',
  publisher: 'publisher',
  author: 'publisher',
  type: 'toolkit_type',
  toolkittype: 'toolkit_type',
  format: 'toolkit_type',
  discipline: 'disciplines',
  disciplines: 'disciplines',
  licence: 'licence',
  license: 'licence',
  reuse: 'reuse',
  cost: 'cost',
};

const normaliseColumn = (name: string) => name.toLowerCase().replace(/[^a-z]/g, '');

/** Reads rows from a CSV (header row) or JSON (array of objects) export. */
export async function readRows(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(file, 'utf8');
  if (extname(file).toLowerCase() === '.json') {
    const parsed = JSON.parse(text) as unknown;
    const rows = Array.isArray(parsed) ? parsed : (parsed as { rows?: unknown }).rows;
    if (!Array.isArray(rows))
      throw new Error(`${file}: expected a JSON array of objects (or {"rows": [...]})`);
    return rows as Record<string, unknown>[];
  }
  return parseCsv<Record<string, unknown>>(text, {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
  });
}

function findTerm(value: string, terms: Map<string, Term>): string {
  const wanted = value.trim().toLowerCase();
  for (const term of terms.values()) {
    if (
      term.slug === wanted ||
      term.label.toLowerCase() === wanted ||
      term.synonyms.some((synonym) => synonym.toLowerCase() === wanted)
    )
      return term.slug;
  }
  return slugify(value);
}

function normaliseLevel(value: string): string {
  const text = value.toLowerCase();
  if (/national|federal|central/.test(text)) return 'national';
  if (/regional|state|provinc|county/.test(text)) return 'regional';
  if (/local|city|municipal|town/.test(text)) return 'local';
  if (/international|global|multi|other/.test(text)) return 'international';
  return text;
}

function firstSentences(text: string, count: number): string {
  const sentences = text
    .replace(/\s+/g, ' ')
    .trim()
    .match(/[^.!?]+[.!?]+(\s|$)/g) ?? [text];
  return sentences.slice(0, count).join('').trim();
}

/** A spreadsheet cell as text; nested JSON values stay readable instead of becoming '[object Object]'. */
function cellText(raw: unknown): string {
  if (typeof raw === 'string') return raw.trim();
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return JSON.stringify(raw) ?? '';
}

/** Maps one export row to entry fields, using the column aliases, --map and --set. */
function mapRow(row: Record<string, unknown>, options: ImportOptions): Record<string, string> {
  const mapped: Record<string, string> = { ...options.set };
  const custom = Object.fromEntries(
    Object.entries(options.map ?? {}).map(([column, field]) => [normaliseColumn(column), field]),
  );
  for (const [column, raw] of Object.entries(row)) {
    const field = custom[normaliseColumn(column)] ?? columnAliases[normaliseColumn(column)];
    const value = raw === null || raw === undefined ? '' : cellText(raw);
    if (field && value) mapped[field] = value;
  }
  return mapped;
}

/** Builds front matter and sections for a row; vocabulary fields are translated to slugs. */
function toEntry(fields: Record<string, string>, options: ImportOptions) {
  const { vocabulary, type } = options;
  const list = (field: string) =>
    fields[field]
      ? fields[field]
          .split(field === 'sources' ? /[\s;|]+/ : /[;|,]/)
          .map((item) => item.trim())
          .filter(Boolean)
      : [];
  const description = fields.description ?? fields.summary ?? '';
  const summary = fields.summary ?? firstSentences(description, 2);
  const sources = [...new Set([...list('sources'), ...(fields.url ? [fields.url] : [])])];
  const year = fields.year ? Number.parseInt(fields.year, 10) : null;
  const common = {
    id: fields.id ?? slugify(fields.title ?? ''),
    type,
    title: fields.title,
    summary,
    sources,
    related: [],
  };
  if (type === 'case') {
    return {
      frontMatter: {
        ...common,
        country: fields.country ? (resolveCountry(fields.country, vocabulary) ?? fields.country) : undefined,
        level: fields.level ? normaliseLevel(fields.level) : undefined,
        organisation: fields.organisation,
        organisation_type: fields.organisation_type ? slugify(fields.organisation_type) : undefined,
        year: Number.isNaN(year) ? fields.year : year,
        sectors: list('sectors').map((value) => findTerm(value, vocabulary.sectors)),
        lifecycle_stage: fields.lifecycle_stage ? slugify(fields.lifecycle_stage) : undefined,
        facets: list('facets').map((value) => slugify(value)),
        facet_reason: fields.facet_reason,
        methods: list('methods').map((value) => findTerm(value, vocabulary.methods)),
        partners: list('partners'),
        users_and_beneficiaries: list('users_and_beneficiaries'),
      },
      sections: sectionsFor('case', {
        'The problem': fields.problem ?? '',
        'What was done': description,
        Results: fields.results ?? '',
        Lessons: fields.lessons ?? '',
      }),
    };
  }
  return {
    frontMatter: {
      ...common,
      publisher: fields.publisher,
      year: Number.isNaN(year) ? fields.year : year,
      toolkit_type: fields.toolkit_type ? slugify(fields.toolkit_type) : undefined,
      disciplines: list('disciplines').map((value) => slugify(value)),
      facets: list('facets').map((value) => slugify(value)),
      lifecycle_stages: list('lifecycle_stages').map((value) => slugify(value)),
      methods: list('methods').map((value) => findTerm(value, vocabulary.methods)),
      licence: fields.licence ?? 'unknown',
      reuse: fields.reuse ?? 'unknown',
      cost: fields.cost ?? 'unknown',
      url: fields.url ?? sources[0],
    },
    sections: sectionsFor('toolkit', { 'What it is for': description }),
  };
}

/**
 * Imports a bulk export: maps columns, validates every row against the schemas and the
 * vocabulary, writes one file per valid row and reports every rejected row with its reasons.
 * An existing entry is never overwritten without `force`.
 */
export async function importEntries(options: ImportOptions): Promise<ImportReport> {
  const rows = await readRows(options.file);
  // Report CSV rows by their line in the file (the header is line 1), JSON items from 1.
  const firstRow = extname(options.file).toLowerCase() === '.json' ? 1 : 2;
  const report: ImportReport = { rows: rows.length, written: [], rejected: [] };
  const seen = new Set<string>();
  for (const [index, row] of rows.entries()) {
    const fields = mapRow(row, options);
    const reasons: string[] = [];
    const { frontMatter, sections } = toEntry(fields, options);
    const clean = Object.fromEntries(Object.entries(frontMatter).filter(([, value]) => value !== undefined));
    const parsed = frontMatterSchema.safeParse(clean);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.join('.') || 'type';
        const value = issue.path.reduce<unknown>(
          (node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key],
          clean,
        );
        reasons.push(
          value === undefined
            ? `${field}: missing — add a column for it or pass --set ${field}=…`
            : `${field}: ${JSON.stringify(value)} ${issue.message}`,
        );
      }
    } else {
      for (const problem of checkVocabulary(parsed.data, options.vocabulary))
        reasons.push(`${problem.path.join('.')}: ${problem.problem} — ${problem.fix}`);
    }
    const id = String(clean.id ?? '');
    const path = join(options.knowledgeDir, folderByType[options.type], `${id}.md`);
    if (id && seen.has(id)) reasons.push(`id: "${id}" appears twice in this import`);
    else if (id && existsSync(path) && !options.force)
      reasons.push(
        `id: ${folderByType[options.type]}/${id}.md already exists — pass --force to overwrite it`,
      );
    if (reasons.length > 0) {
      report.rejected.push({ row: index + firstRow, title: fields.title ?? '(no title)', reasons });
      continue;
    }
    seen.add(id);
    if (!options.dryRun) await writeFile(path, renderEntryFile(clean, sections));
    report.written.push(`${folderByType[options.type]}/${id}.md`);
  }
  return report;
}
