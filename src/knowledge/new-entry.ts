import { existsSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveCountry } from '../retrieval/filters.js';
import { renderEntryFile, sectionsFor, slugify } from './entry-files.js';
import { loadKnowledge, type KnowledgeProblem } from './load-knowledge.js';
import { facetIds, folderByType, levelIds, lifecycleStageIds } from './schemas.js';
import type { Vocabulary } from './vocabulary.js';

// A new entry from a curator's answers, used by `kb new` and by the curator console: the same
// fields, the same defaults, the same validation, and a broken draft is never left on disk.

export type NewEntryType = 'case' | 'toolkit' | 'skill';

export interface EntryQuestion {
  field: string;
  prompt: string;
  list?: boolean;
  optional?: boolean;
  choices?: readonly string[];
}

export const newEntryQuestions: Record<NewEntryType, EntryQuestion[]> = {
  case: [
    { field: 'title', prompt: 'Title' },
    { field: 'summary', prompt: 'Two-sentence summary' },
    { field: 'country', prompt: 'Country (as in vocabulary.yaml)' },
    { field: 'level', prompt: 'Level of government', choices: levelIds },
    { field: 'organisation', prompt: 'Organisation behind it (team, unit, ministry or city)' },
    { field: 'organisation_type', prompt: 'Organisation type (vocabulary.yaml organisation_types)' },
    { field: 'year', prompt: 'Year launched (blank if unknown)', optional: true },
    { field: 'sectors', prompt: 'Sectors, comma-separated (vocabulary.yaml)', list: true },
    { field: 'lifecycle_stage', prompt: 'How far it has got', choices: lifecycleStageIds },
    { field: 'facets', prompt: 'Facet(s), comma-separated', list: true, choices: facetIds },
    { field: 'facet_reason', prompt: 'One line: why that facet' },
    { field: 'methods', prompt: 'Methods, comma-separated (vocabulary.yaml)', list: true },
    { field: 'sources', prompt: 'Source URL(s), comma-separated', list: true },
  ],
  toolkit: [
    { field: 'title', prompt: 'Title' },
    { field: 'summary', prompt: 'Two-sentence summary' },
    { field: 'publisher', prompt: 'Publisher' },
    { field: 'year', prompt: 'Year published (blank if unknown)', optional: true },
    { field: 'toolkit_type', prompt: 'Toolkit type (vocabulary.yaml toolkit_types)' },
    { field: 'disciplines', prompt: 'Disciplines, comma-separated (vocabulary.yaml)', list: true },
    { field: 'facets', prompt: 'Facet(s), comma-separated', list: true, choices: facetIds },
    {
      field: 'lifecycle_stages',
      prompt: 'Lifecycle stage(s), comma-separated',
      list: true,
      choices: lifecycleStageIds,
    },
    { field: 'methods', prompt: 'Methods, comma-separated (vocabulary.yaml)', list: true },
    { field: 'url', prompt: "The toolkit's URL" },
    { field: 'licence', prompt: 'Licence (blank: unknown)', optional: true },
    { field: 'cost', prompt: 'Cost: free, paid or unknown (blank: unknown)', optional: true },
  ],
  skill: [
    { field: 'title', prompt: 'Title' },
    { field: 'summary', prompt: 'Two-sentence summary' },
    { field: 'kind', prompt: 'Kind', choices: ['core-skill', 'competency-area', 'role-profile'] },
    { field: 'sources', prompt: 'Source URL(s), comma-separated', list: true },
  ],
};

/** The required answers still missing. */
export function missingAnswers(type: NewEntryType, answers: Record<string, string | undefined>) {
  return newEntryQuestions[type].filter((question) => !question.optional && !answers[question.field]?.trim());
}

/** Front matter from answers (lists comma-separated), with the defaults `kb new` has always used. */
export function frontMatterFromAnswers(
  type: NewEntryType,
  answers: Record<string, string | undefined>,
  vocabulary: Vocabulary,
  id?: string,
): Record<string, unknown> {
  const frontMatter: Record<string, unknown> = { id: id || slugify(answers.title ?? ''), type };
  for (const question of newEntryQuestions[type]) {
    const answer = answers[question.field]?.trim() ?? '';
    if (question.field === 'year') frontMatter.year = answer ? Number(answer) : null;
    else if (question.list)
      frontMatter[question.field] = answer
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
    else if (answer || !question.optional) frontMatter[question.field] = answer;
  }
  if (type === 'case') {
    frontMatter.country = resolveCountry(String(frontMatter.country), vocabulary) ?? frontMatter.country;
    Object.assign(frontMatter, { partners: [], users_and_beneficiaries: [] });
  }
  if (type === 'toolkit') {
    frontMatter.licence = frontMatter.licence || 'unknown';
    frontMatter.cost = frontMatter.cost || 'unknown';
    frontMatter.reuse = 'unknown';
    frontMatter.sources = [frontMatter.url];
  }
  if (type === 'skill') Object.assign(frontMatter, { related_skills: [], related_toolkits: [] });
  frontMatter.related = [];
  return frontMatter;
}

export type WriteEntryResult =
  | { ok: true; relativePath: string; text: string }
  | { ok: false; reason: 'exists' | 'bad_id'; relativePath: string }
  | { ok: false; reason: 'invalid'; relativePath: string; problems: KnowledgeProblem[] };

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Writes a new entry file and keeps it only if the knowledge base then loads it without errors;
 * otherwise the file is removed and the problems returned. Never overwrites an existing file.
 */
export async function writeNewEntry(
  knowledgeDir: string,
  type: NewEntryType,
  frontMatter: Record<string, unknown>,
  sections: Record<string, string> = {},
): Promise<WriteEntryResult> {
  const id = typeof frontMatter.id === 'string' ? frontMatter.id : '';
  const relativePath = join(folderByType[type], `${id}.md`);
  if (!slugPattern.test(id)) return { ok: false, reason: 'bad_id', relativePath };
  const path = join(knowledgeDir, relativePath);
  if (existsSync(path)) return { ok: false, reason: 'exists', relativePath };
  const text = renderEntryFile(frontMatter, sectionsFor(type, sections));
  await writeFile(path, text, { flag: 'wx' });
  const problems = (await loadKnowledge(knowledgeDir)).problems.filter(
    (problem) => problem.file === relativePath && problem.severity === 'error',
  );
  if (problems.length > 0) {
    await unlink(path);
    return { ok: false, reason: 'invalid', relativePath, problems };
  }
  return { ok: true, relativePath, text };
}
