import { checkSources, loadSourceRules } from './source-rules.js';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { z } from 'zod';
import { FrontMatterError, parseMarkdownEntry } from './front-matter.js';
import {
  entryTypes,
  folderByType,
  frontMatterSchema,
  requiredSections,
  type EntryType,
  type KnowledgeEntry,
} from './schemas.js';
import { loadVocabulary, type Vocabulary } from './vocabulary.js';

/** One thing wrong with a knowledge file, printed as `file:line: field: problem — fix`. */
export interface KnowledgeProblem {
  file: string;
  line: number;
  field: string;
  problem: string;
  fix: string;
  severity: 'error' | 'warning';
  /** True when the entry could not be loaded at all and is left out of the index. */
  skipped: boolean;
}

export interface LoadedKnowledge {
  entries: KnowledgeEntry[];
  problems: KnowledgeProblem[];
  vocabulary: Vocabulary;
}

/** Files that could not be loaded at all, for a one-line warning; empty when all loaded. */
export function describeSkippedFiles(knowledge: LoadedKnowledge): string | undefined {
  const skipped = [
    ...new Set(knowledge.problems.filter((problem) => problem.skipped).map((problem) => problem.file)),
  ];
  return skipped.length > 0
    ? `${skipped.length} knowledge file(s) have errors and were left out: ${skipped.join(', ')}. ` +
        'Run `navigator kb validate` for details.'
    : undefined;
}

/** Formats a problem the way `navigator kb validate` prints it. */
export function formatProblem(problem: KnowledgeProblem): string {
  const tag = problem.severity === 'warning' ? ' (warning)' : '';
  return `${problem.file}:${problem.line}: ${problem.field}: ${problem.problem} — ${problem.fix}${tag}`;
}

/** Loads and validates every entry; a bad file is reported and skipped, never fatal. */
export async function loadKnowledge(knowledgeDir: string): Promise<LoadedKnowledge> {
  const vocabulary = await loadVocabulary(knowledgeDir);
  const sourceRules = await loadSourceRules(knowledgeDir);
  const problems: KnowledgeProblem[] = [];
  const entries: KnowledgeEntry[] = [];
  const seen = new Map<string, string>();
  const lineLookups = new Map<string, (path: ReadonlyArray<PropertyKey>) => number>();

  for (const type of entryTypes) {
    const folder = join(knowledgeDir, folderByType[type]);
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names.filter((file) => file.endsWith('.md')).sort()) {
      const path = join(folder, name);
      const file = relative(knowledgeDir, path);
      const report = (
        line: number,
        field: string,
        problem: string,
        fix: string,
        severity: 'error' | 'warning' = 'error',
        skipped = false,
      ) => problems.push({ file, line, field, problem, fix, severity, skipped });

      const bytes = await readFile(path);
      let parsed;
      try {
        parsed = parseMarkdownEntry(bytes.toString('utf8'));
      } catch (error) {
        const line = error instanceof FrontMatterError ? error.line : 1;
        report(
          line,
          'front matter',
          (error as Error).message,
          'see knowledge/README.md for the file layout',
          'error',
          true,
        );
        continue;
      }
      lineLookups.set(file, parsed.lineOf);

      const result = frontMatterSchema.safeParse(parsed.data);
      if (!result.success) {
        for (const issue of result.error.issues) reportSchemaIssue(issue, parsed.data, parsed.lineOf, report);
        continue;
      }
      const data = result.data;
      const expectedId = name.slice(0, -'.md'.length);
      let fatal = false;
      if (data.id !== expectedId) {
        report(
          parsed.lineOf(['id']),
          'id',
          `"${data.id}" differs from the file name`,
          `rename the file to ${data.id}.md or set id: ${expectedId}`,
          'error',
          true,
        );
        fatal = true;
      }
      if (folderByType[data.type] !== folderByType[type]) {
        report(
          parsed.lineOf(['type']),
          'type',
          `a ${data.type} is stored in ${folderByType[type]}/`,
          `move the file to knowledge/${folderByType[data.type]}/`,
          'error',
          true,
        );
        fatal = true;
      }
      const previous = seen.get(data.id);
      if (previous) {
        report(
          parsed.lineOf(['id']),
          'id',
          `"${data.id}" is already used by ${previous}`,
          'give this entry a different id and file name',
          'error',
          true,
        );
        fatal = true;
      }
      const vocabularyProblems = checkVocabulary(data, vocabulary);
      for (const problem of vocabularyProblems)
        report(
          parsed.lineOf(problem.path),
          problem.path.join('.'),
          problem.problem,
          problem.fix,
          'error',
          true,
        );
      const sourceFindings = checkSources(data, sourceRules);
      for (const finding of sourceFindings)
        report(
          parsed.lineOf(finding.index === undefined ? [finding.field] : [finding.field, finding.index]),
          finding.index === undefined ? finding.field : `${finding.field}.${finding.index}`,
          finding.problem,
          finding.fix,
          finding.severity,
          finding.severity === 'error',
        );
      const sourcesRejected = sourceFindings.some((finding) => finding.severity === 'error');
      const headings = new Set(parsed.sections.map((section) => section.heading.toLowerCase()));
      const missing = requiredSections[data.type].filter((heading) => !headings.has(heading.toLowerCase()));
      for (const heading of missing) {
        report(
          parsed.bodyStartLine,
          'body',
          `the section "## ${heading}" is missing`,
          `add a "## ${heading}" section (say plainly when the sources give nothing)`,
          'error',
          true,
        );
      }
      const sentences = countSentences(data.summary);
      if (sentences < 2 || sentences > 3) {
        report(
          parsed.lineOf(['summary']),
          'summary',
          `has ${sentences} sentence(s)`,
          'write two sentences: what it is, and why it matters to a practitioner',
          'warning',
        );
      }
      if (fatal || vocabularyProblems.length > 0 || missing.length > 0 || sourcesRejected) continue;
      seen.set(data.id, file);
      const contentHash = createHash('sha256').update(bytes).digest('hex');
      entries.push({ ...data, sections: parsed.sections, file, contentHash });
    }
  }

  checkCrossReferences(entries, problems, lineLookups);
  return { entries, problems, vocabulary };
}

type Report = (
  line: number,
  field: string,
  problem: string,
  fix: string,
  severity?: 'error' | 'warning',
  skipped?: boolean,
) => void;

function reportSchemaIssue(
  issue: z.core.$ZodIssue,
  data: unknown,
  lineOf: (path: ReadonlyArray<PropertyKey>) => number,
  report: Report,
) {
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'type';
  const value = issue.path.reduce<unknown>(
    (node, key) =>
      node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined,
    data,
  );
  if (issue.path.length === 0 && issue.code === 'invalid_union') {
    report(
      lineOf(['type']),
      'type',
      `is ${value === undefined ? 'missing' : 'not a known type'}`,
      `set type to one of ${entryTypes.join(', ')}`,
      'error',
      true,
    );
    return;
  }
  const problem = value === undefined ? 'is missing' : `has ${JSON.stringify(value).slice(0, 60)}`;
  const fix =
    value === undefined ? `add "${field}:" to the front matter (see knowledge/README.md)` : issue.message;
  report(lineOf(issue.path), field, problem, fix, 'error', true);
}

export interface VocabularyProblem {
  path: (string | number)[];
  problem: string;
  fix: string;
}

export function checkVocabulary(
  data: z.infer<typeof frontMatterSchema>,
  vocabulary: Vocabulary,
): VocabularyProblem[] {
  const problems: VocabularyProblem[] = [];
  const check = (field: string, values: string[], allowed: Map<string, unknown>, listName: string) => {
    values.forEach((value, index) => {
      if (allowed.has(value)) return;
      const suggestion = closest(value, [...allowed.keys()]);
      const single = values.length === 1 && !Array.isArray((data as Record<string, unknown>)[field]);
      const didYouMean = suggestion ? `did you mean "${suggestion}"? ` : '';
      problems.push({
        path: single ? [field] : [field, index],
        problem: `"${value}" is not in the vocabulary`,
        fix: `${didYouMean}use a key from ${listName} in knowledge/vocabulary.yaml, or add it there`,
      });
    });
  };
  if (data.type === 'case') {
    check('country', [data.country], vocabulary.countries, 'countries');
    check('organisation_type', [data.organisation_type], vocabulary.organisationTypes, 'organisation_types');
    check('sectors', data.sectors, vocabulary.sectors, 'sectors');
    check('methods', data.methods, vocabulary.methods, 'methods');
  }
  if (data.type === 'toolkit') {
    check('toolkit_type', [data.toolkit_type], vocabulary.toolkitTypes, 'toolkit_types');
    check('disciplines', data.disciplines, vocabulary.disciplines, 'disciplines');
    check('methods', data.methods, vocabulary.methods, 'methods');
  }
  return problems;
}

function checkCrossReferences(
  entries: KnowledgeEntry[],
  problems: KnowledgeProblem[],
  lineLookups: Map<string, (path: ReadonlyArray<PropertyKey>) => number>,
) {
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const ids = [...byId.keys()];
  for (const entry of entries) {
    const fields: [string, string[], EntryType | undefined][] = [['related', entry.related, undefined]];
    if (entry.type === 'skill') {
      fields.push(
        ['related_skills', entry.related_skills, 'skill'],
        ['related_toolkits', entry.related_toolkits, 'toolkit'],
      );
    }
    for (const [field, references, expectedType] of fields) {
      references.forEach((reference, index) => {
        const target = byId.get(reference);
        const lineOf = lineLookups.get(entry.file);
        const line = lineOf ? lineOf([field, index]) : 1;
        if (!target) {
          const suggestion = closest(reference, ids);
          problems.push({
            file: entry.file,
            line,
            field: `${field}.${index}`,
            problem: `"${reference}" is not the id of any entry`,
            fix: suggestion
              ? `did you mean "${suggestion}"?`
              : 'use the id of an existing entry or remove it',
            severity: 'error',
            skipped: false,
          });
        } else if (expectedType && target.type !== expectedType) {
          problems.push({
            file: entry.file,
            line,
            field: `${field}.${index}`,
            problem: `"${reference}" is a ${target.type}, not a ${expectedType}`,
            fix: `list it under related instead`,
            severity: 'error',
            skipped: false,
          });
        }
      });
    }
  }
  // Unresolved references are dropped so the assistant never links to a missing entry.
  for (const entry of entries) {
    entry.related = entry.related.filter((id) => byId.has(id));
    if (entry.type === 'skill') {
      entry.related_skills = entry.related_skills.filter((id) => byId.get(id)?.type === 'skill');
      entry.related_toolkits = entry.related_toolkits.filter((id) => byId.get(id)?.type === 'toolkit');
    }
  }
}

function countSentences(text: string): number {
  const cleaned = text
    .replace(/\b(e\.g|i\.e|etc|vs|no|approx|incl|Dr|Mr|Ms|St)\./gi, '$1')
    .replace(/\d\.\d/g, '0');
  return cleaned.split(/[.!?](?:\s|$)/).filter((part) => part.trim().length > 0).length;
}

/** Nearest candidate by edit distance, when it is plausibly a typo. */
export function closest(value: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(value.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(value.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
