import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { withFieldReference } from '../knowledge/field-reference.js';
import { importEntries } from '../knowledge/import-entries.js';
import { computeStats, formatStats } from '../knowledge/knowledge-stats.js';
import { formatProblem, loadKnowledge } from '../knowledge/load-knowledge.js';
import {
  frontMatterFromAnswers,
  missingAnswers,
  newEntryQuestions,
  writeNewEntry,
} from '../knowledge/new-entry.js';
import { projectRoot } from '../paths.js';

export class UsageError extends Error {}

const write = (text: string) => process.stdout.write(`${text}\n`);

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
  const questions = newEntryQuestions[type];
  const options: Record<string, { type: 'string' }> = { id: { type: 'string' } };
  for (const question of questions) options[question.field.replace(/_/g, '-')] = { type: 'string' };
  const values = parseArgs({ args: rest, options }).values as Record<string, string | undefined>;
  const answers: Record<string, string | undefined> = Object.fromEntries(
    questions.map((question) => [question.field, values[question.field.replace(/_/g, '-')]]),
  );
  const missing = missingAnswers(type, answers);
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
  const { vocabulary } = await loadKnowledge(config.knowledgeDir);
  const frontMatter = frontMatterFromAnswers(type, answers, vocabulary, values.id);
  const result = await writeNewEntry(config.knowledgeDir, type, frontMatter);
  if (!result.ok && result.reason === 'exists')
    throw new UsageError(`${result.relativePath} already exists; choose another --id or edit that file.`);
  if (!result.ok && result.reason === 'bad_id')
    throw new UsageError(`--id must be a lowercase slug such as "denmark-free-municipalities".`);
  if (!result.ok && result.reason === 'invalid') {
    result.problems.forEach((problem) => write(formatProblem(problem)));
    write(`Nothing written: fix the values above and run the command again.`);
    return { code: 1 };
  }
  write(
    `Created ${result.relativePath}. ` +
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
