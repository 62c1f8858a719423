import { existsSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { renderEntryFile, sectionsFor, slugify } from '../knowledge/entry-files.js';
import { withFieldReference } from '../knowledge/field-reference.js';
import { importEntries } from '../knowledge/import-entries.js';
import { computeStats, formatStats } from '../knowledge/knowledge-stats.js';
import { formatProblem, loadKnowledge } from '../knowledge/load-knowledge.js';
import { facetIds, folderByType, lifecycleStageIds, levelIds } from '../knowledge/schemas.js';
import { projectRoot } from '../paths.js';
import { resolveCountry } from '../retrieval/filters.js';

export class UsageError extends Error {}

const write = (text: string) => process.stdout.write(`${text}\n`);

interface Question {
  field: string;
  prompt: string;
  list?: boolean;
  optional?: boolean;
  choices?: readonly string[];
}

const questionsByType: Record<'case' | 'toolkit' | 'skill', Question[]> = {
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

/** `navigator kb new case|toolkit|skill`: scaffolds a valid entry from flags, asking for what is missing. */
export async function newEntry(config: Config, args: string[]): Promise<number> {
  return (await scaffoldEntry(config, args)).code;
}

/** Writes an entry only if it validates; returns the exit code and the id of the entry written. */
export async function scaffoldEntry(
  config: Config,
  args: string[],
): Promise<{ code: number; entryId?: string }> {
  const [type, ...rest] = args;
  if (type !== 'case' && type !== 'toolkit' && type !== 'skill')
    throw new UsageError('Usage: navigator kb new case|toolkit|skill [--title …] [--country …] …');
  const questions = questionsByType[type];
  const options: Record<string, { type: 'string' }> = { id: { type: 'string' } };
  for (const question of questions) options[question.field.replace(/_/g, '-')] = { type: 'string' };
  const values = parseArgs({ args: rest, options }).values as Record<string, string | undefined>;
  const answers: Record<string, string | undefined> = Object.fromEntries(
    questions.map((question) => [question.field, values[question.field.replace(/_/g, '-')]]),
  );
  const missing = questions.filter((question) => !question.optional && !answers[question.field]);
  if (missing.length > 0) {
    if (!process.stdin.isTTY) {
      const flags = missing.map((question) => `--${question.field.replace(/_/g, '-')}`);
      throw new UsageError(`Missing: ${flags.join(', ')} (or run it in a terminal to be asked).`);
    }
    const reader = createInterface({ input: process.stdin, output: process.stdout });
    for (const question of missing) {
      const hint = question.choices ? ` [${question.choices.join(' | ')}]` : '';
      answers[question.field] = (await reader.question(`${question.prompt}${hint}: `)).trim();
    }
    reader.close();
  }

  const frontMatter: Record<string, unknown> = { id: values.id ?? slugify(answers.title ?? ''), type };
  for (const question of questions) {
    const answer = answers[question.field]?.trim() ?? '';
    if (question.field === 'year') frontMatter.year = answer ? Number(answer) : null;
    else if (question.list)
      frontMatter[question.field] = answer
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
    else if (answer || !question.optional) frontMatter[question.field] = answer;
  }
  const knowledge = await loadKnowledge(config.knowledgeDir);
  if (type === 'case') {
    frontMatter.country =
      resolveCountry(String(frontMatter.country), knowledge.vocabulary) ?? frontMatter.country;
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

  const relativePath = join(folderByType[type], `${String(frontMatter.id)}.md`);
  const path = join(config.knowledgeDir, relativePath);
  if (existsSync(path))
    throw new UsageError(`${relativePath} already exists; choose another --id or edit that file.`);
  await writeFile(path, renderEntryFile(frontMatter, sectionsFor(type)));
  // Keep the file only if it validates, so the knowledge base never holds a broken scaffold.
  const problems = (await loadKnowledge(config.knowledgeDir)).problems.filter(
    (problem) => problem.file === relativePath && problem.severity === 'error',
  );
  if (problems.length > 0) {
    await unlink(path);
    problems.forEach((problem) => write(formatProblem(problem)));
    write(`Nothing written: fix the values above and run the command again.`);
    return { code: 1 };
  }
  write(
    `Created ${relativePath}. ` +
      'Fill in the sections marked "to be written", then run `navigator kb validate`.',
  );
  return { code: 0, entryId: String(frontMatter.id) };
}

/**
 * `navigator kb import <file.csv|file.json> --type case|toolkit [--force] [--set field=value]
 * [--map column=field] [--dry-run]`
 */
export async function importCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      type: { type: 'string' },
      force: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      set: { type: 'string', multiple: true },
      map: { type: 'string', multiple: true },
    },
  });
  const file = positionals[0];
  if (!file || (values.type !== 'case' && values.type !== 'toolkit')) {
    throw new UsageError(
      'Usage: navigator kb import <file.csv|file.json> --type case|toolkit ' +
        '[--force] [--set field=value] [--map "column=field"] [--dry-run]',
    );
  }
  const pairs = (items: string[] | undefined, flag: string) =>
    Object.fromEntries(
      (items ?? []).map((item) => {
        const at = item.indexOf('=');
        if (at < 1) throw new UsageError(`--${flag} "${item}" must look like name=value`);
        return [item.slice(0, at).trim(), item.slice(at + 1).trim()];
      }),
    );
  const knowledge = await loadKnowledge(config.knowledgeDir);
  const report = await importEntries({
    knowledgeDir: config.knowledgeDir,
    vocabulary: knowledge.vocabulary,
    file,
    type: values.type,
    force: values.force,
    dryRun: values['dry-run'],
    set: pairs(values.set, 'set'),
    map: pairs(values.map, 'map'),
  });
  write(
    `${values['dry-run'] ? 'Would import' : 'Imported'} ` +
      `${report.written.length} of ${report.rows} row(s) into ${config.knowledgeDir}.`,
  );
  report.written.forEach((path) => write(`  + ${path}`));
  if (report.rejected.length > 0) {
    write(`Rejected ${report.rejected.length} row(s):`);
    for (const rejected of report.rejected) {
      write(`  row ${rejected.row} (${rejected.title}):`);
      rejected.reasons.forEach((reason) => write(`    - ${reason}`));
    }
  }
  if (report.written.length > 0 && !values['dry-run'])
    write('Imported entries have sections marked "to be written"; `navigator kb stats` lists them.');
  return report.rejected.length > 0 ? 1 : 0;
}

/** `navigator kb stats`: counts and gaps. */
export async function statsCommand(config: Config): Promise<number> {
  write(formatStats(computeStats(await loadKnowledge(config.knowledgeDir))));
  return 0;
}

/** `navigator kb docs [--check]`: regenerates (or checks) the field reference in knowledge/README.md. */
export async function docsCommand(args: string[]): Promise<number> {
  const path = join(projectRoot(), 'knowledge', 'README.md');
  const current = await readFile(path, 'utf8');
  const updated = withFieldReference(current);
  if (args.includes('--check')) {
    if (updated !== current) {
      write('knowledge/README.md is out of date with src/knowledge/schemas.ts — run `npm run kb:docs`.');
      return 1;
    }
    write('knowledge/README.md field reference is up to date.');
    return 0;
  }
  await writeFile(path, updated);
  write('Updated the field reference in knowledge/README.md.');
  return 0;
}
