import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Answer } from '../assistant/answer.js';
import { createNavigator } from '../assistant/navigator.js';
import { loadConfig, type Config } from '../config.js';
import { isNavigatorError } from '../errors.js';
import { buildIndex } from '../indexing/build-index.js';
import { createEmbedder } from '../indexing/embedders/create-embedder.js';
import { describeSkippedFiles, formatProblem, loadKnowledge } from '../knowledge/load-knowledge.js';
import { facetIds, lifecycleStageIds, levelIds, entryTypes, type EntryType } from '../knowledge/schemas.js';
import type { Vocabulary } from '../knowledge/vocabulary.js';
import { resolveCountry, resolveRegion, type SearchFilters } from '../retrieval/filters.js';
import type { SearchMode, SearchResult } from '../retrieval/hybrid-search.js';
import { openRetriever } from '../retrieval/open-retriever.js';
import { feedbackCommand, gapsCommand, reviewCommand } from './curator-commands.js';
import { docsCommand, importCommand, newEntry, statsCommand, UsageError } from './kb-commands.js';
import { gist } from '../text/sentences.js';
import { createProgressBar } from './progress-bar.js';

const usage = `PSI Navigator — find cases, toolkits and skills for public sector innovation.

Usage:
  navigator ask <question> [--json]
  navigator chat                                    (a conversation; follow-ups keep context)
  navigator search <query> [--k N] [--type T] [--country C] [--region R] [--level L]
                           [--facet F] [--stage S] [--year-from Y] [--year-to Y] [--json]
  navigator search --batch <file.jsonl> --json     (lines of {"q": "..."})
  navigator index                                   (build or update the search index)
  navigator kb validate                             (check every knowledge file)
  navigator kb stats                                (counts by type, facet, stage, country, level; gaps)
  navigator kb new case|toolkit|skill [--title …]   (scaffold a valid entry; asks for missing fields)
  navigator kb import <file.csv|file.json> --type case|toolkit [--force] [--set field=value]
                                        [--map "column=field"] [--dry-run]
  navigator kb docs [--check]                       (regenerate the field reference in knowledge/README.md)
  navigator review list [--all] | show <id> | reject <id> [--note …]
  navigator review accept <id> --level … --facets … …  (writes a draft case, checked as kb new)
  navigator gaps [--since 2026-11-01|30d] [--json]   (no-match questions and 👎 answers by topic)
  navigator feedback [--since …] [--json]            (ratings and comments)

Types: ${entryTypes.join(', ')}
Facets: ${facetIds.join(', ')}
Stages: ${lifecycleStageIds.join(', ')}
Levels: ${levelIds.join(', ')}`;

const log = (message: string) => process.stderr.write(`${message}\n`);

/** node:util parseArgs refusing an option (`ask --help`, `search --k`): a usage error, not a crash. */
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** Runs the CLI; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'ask':
        return await ask(loadConfig(), rest);
      case 'chat':
        return await chat(loadConfig());
      case 'search':
        return await search(loadConfig(), rest);
      case 'index':
        return await index(loadConfig());
      case 'kb':
        return await knowledgeBase(rest);
      case 'review':
        return await reviewCommand(loadConfig(), rest);
      case 'gaps':
        return await gapsCommand(loadConfig(), rest);
      case 'feedback':
        return await feedbackCommand(loadConfig(), rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${usage}\n`);
        return 0;
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      log(`${(error as Error).message}\n\n${usage}`);
      return 2;
    }
    if (isNavigatorError(error)) {
      log(`Error (${error.code}): ${error.message}`);
      return 1;
    }
    throw error;
  }
}

async function ask(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' } },
  });
  const question = positionals.join(' ').trim();
  if (!question)
    throw new UsageError('Ask a question, e.g. navigator ask "Who has made benefits proactive?"');
  const navigator = await createNavigator(config, { log });
  const answer = await navigator.ask({ text: question, channel: 'cli' });
  process.stdout.write(
    values.json ? `${JSON.stringify(toJsonAnswer(question, answer))}\n` : renderForTerminal(answer),
  );
  return 0;
}

/** The `ask --json` shape: the retrieval-core fields first, then the assistant's sections. */
function toJsonAnswer(question: string, answer: Answer) {
  const { text, ...rest } = answer;
  return { question, answer: text, ...rest };
}

function renderForTerminal(answer: Answer): string {
  const sources = answer.citations.map(
    (citation, position) => `[${position + 1}] ${citation.title}${citation.url ? ` — ${citation.url}` : ''}`,
  );
  const status =
    answer.status === 'degraded'
      ? '\n(The language model did not answer in time; this is the offline answer.)'
      : '';
  const followUps =
    answer.followUps.length > 0
      ? `\nYou could ask next: ${answer.followUps.map((followUp) => `"${followUp}"`).join(' · ')}\n`
      : '';
  const sourceList = sources.length > 0 ? `\nSources:\n${sources.join('\n')}\n` : '';
  return `${answer.text}\n${sourceList}${status}${followUps}`;
}

async function chat(config: Config): Promise<number> {
  const navigator = await createNavigator(config, { log });
  const conversationId = `cli-${process.pid}-${Date.now()}`;
  const { createInterface } = await import('node:readline');
  const reader = createInterface({ input: process.stdin, terminal: false });
  const prompt = () => process.stdout.write('\n> ');
  process.stdout.write(
    `PSI Navigator${navigator.usesLanguageModel ? ' (with a language model)' : ' (offline)'} — ` +
      'ask a question, "help" for examples, Ctrl-D to quit.\n',
  );
  prompt();
  // Iterating the lines (rather than question()) also works when questions are piped in.
  let pending = '';
  for await (const line of reader) {
    if (['exit', 'quit'].includes(line.trim().toLowerCase())) break;
    // A line ending in a backslash continues on the next one (for pasted project lists).
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)}\n`;
      continue;
    }
    const text = `${pending}${line}`;
    pending = '';
    if (text.trim()) {
      const answer = await navigator.ask({ text, conversationId, channel: 'cli' });
      process.stdout.write(`\n${renderForTerminal(answer)}`);
    }
    prompt();
  }
  reader.close();
  return 0;
}

async function search(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      k: { type: 'string' },
      type: { type: 'string', multiple: true },
      country: { type: 'string', multiple: true },
      region: { type: 'string', multiple: true },
      level: { type: 'string', multiple: true },
      facet: { type: 'string', multiple: true },
      stage: { type: 'string', multiple: true },
      'year-from': { type: 'string' },
      'year-to': { type: 'string' },
      mode: { type: 'string' },
      batch: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const k = values.k === undefined ? 5 : Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 100)
    throw new UsageError('--k must be a whole number from 1 to 100.');
  const mode = (values.mode ?? 'hybrid') as SearchMode;
  if (!['hybrid', 'lexical', 'vector'].includes(mode))
    throw new UsageError('--mode must be hybrid, lexical or vector.');
  const { retriever, knowledge } = await openRetriever(config, {
    log,
    onProgress: createProgressBar('Embedding passages'),
  });
  const filters = parseFilters(values, knowledge.vocabulary);

  const queries: string[] = [];
  if (values.batch) {
    const lines = (await readFile(values.batch, 'utf8')).split('\n').filter((line) => line.trim());
    lines.forEach((line, number) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new UsageError(`${values.batch}:${number + 1}: not JSON — each line must be {"q": "..."}`);
      }
      const q = (parsed as { q?: unknown }).q;
      if (typeof q !== 'string' || !q.trim())
        throw new UsageError(`${values.batch}:${number + 1}: "q" must be a non-empty string`);
      queries.push(q);
    });
  } else {
    const query = positionals.join(' ').trim();
    if (!query) throw new UsageError('Give a query, e.g. navigator search "participatory budgeting"');
    queries.push(query);
  }

  for (const query of queries) {
    const results = await retriever.search(query, { k, filters, mode });
    if (values.json)
      process.stdout.write(`${JSON.stringify({ query, results: results.map(toJsonResult) })}\n`);
    else printResults(query, results);
  }
  return 0;
}

function toJsonResult(result: SearchResult) {
  const { entry } = result;
  return {
    id: entry.id,
    type: entry.type,
    title: entry.title,
    ...(entry.country ? { country: entry.country } : {}),
    score: Number(result.score.toFixed(6)),
    ...(entry.url ? { url: entry.url } : {}),
  };
}

function printResults(query: string, results: SearchResult[]) {
  if (results.length === 0) {
    process.stdout.write(`No entries match "${query}" with these filters.\n`);
    return;
  }
  results.forEach((result, position) => {
    const { entry } = result;
    const place = [entry.country, entry.year ?? undefined].filter(Boolean).join(', ');
    process.stdout.write(
      `${position + 1}. [${entry.type}] ${entry.title}${place ? ` (${place})` : ''}\n` +
        `   ${gist(entry.summary, 300)}\n` +
        `${entry.url ? `   ${entry.url}\n` : ''}`,
    );
  });
}

function parseFilters(
  values: Record<string, string | string[] | boolean | undefined>,
  vocabulary: Vocabulary,
): SearchFilters {
  const list = (name: string) =>
    (values[name] as string[] | undefined)
      ?.flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .filter(Boolean);
  const oneOf = (name: string, allowed: readonly string[]) => {
    const given = list(name);
    const wrong = given?.filter((value) => !allowed.includes(value)) ?? [];
    if (wrong.length > 0)
      throw new UsageError(`--${name} "${wrong.join(', ')}" is not one of: ${allowed.join(', ')}`);
    return given;
  };
  const year = (name: string) => {
    const value = values[name] as string | undefined;
    if (value === undefined) return undefined;
    if (!/^\d{4}$/.test(value)) throw new UsageError(`--${name} must be a year such as 2018.`);
    return Number(value);
  };
  const countries = list('country')?.map((text) => {
    const country = resolveCountry(text, vocabulary);
    if (!country)
      throw new UsageError(
        `--country "${text}" is not in the vocabulary; known: ${[...vocabulary.countries.keys()].join(', ')}`,
      );
    return country;
  });
  const regions = list('region')?.map((text) => {
    const region = resolveRegion(text, vocabulary);
    if (!region)
      throw new UsageError(
        `--region "${text}" is not a region; known: ${[...vocabulary.regions.values()].join(', ')}`,
      );
    return region;
  });
  return {
    types: oneOf('type', entryTypes) as EntryType[] | undefined,
    countries,
    regions,
    levels: oneOf('level', levelIds),
    facets: oneOf('facet', facetIds),
    lifecycleStages: oneOf('stage', lifecycleStageIds),
    yearFrom: year('year-from'),
    yearTo: year('year-to'),
  };
}

async function index(config: Config): Promise<number> {
  const knowledge = await loadKnowledge(config.knowledgeDir);
  const skipped = describeSkippedFiles(knowledge);
  if (skipped) log(skipped);
  const embedder = createEmbedder(config, log);
  const report = await buildIndex({
    dataDir: config.dataDir,
    knowledge,
    embedder,
    onProgress: createProgressBar('Embedding passages'),
  });
  const { counts, buildMillis } = report.manifest;
  process.stdout.write(
    `Index built in ${(buildMillis / 1000).toFixed(1)} s: ` +
      `${counts.entries} entries, ${counts.chunks} passages ` +
      `(${counts.embedded} embedded, ${counts.reused} reused from the previous build).\n` +
      `Embedder: ${embedder.id}\n` +
      `Location: ${report.directory}\n`,
  );
  return 0;
}

async function knowledgeBase(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'validate':
      return validate(loadConfig());
    case 'stats':
      return statsCommand(loadConfig());
    case 'new':
      return newEntry(loadConfig(), rest);
    case 'import':
      return importCommand(loadConfig(), rest);
    case 'docs':
      return docsCommand(rest);
    default:
      throw new UsageError(`Unknown kb command "${command ?? ''}".`);
  }
}

async function validate(config: Config): Promise<number> {
  const knowledge = await loadKnowledge(config.knowledgeDir);
  for (const problem of knowledge.problems) process.stdout.write(`${formatProblem(problem)}\n`);
  const errors = knowledge.problems.filter((problem) => problem.severity === 'error').length;
  const warnings = knowledge.problems.length - errors;
  process.stdout.write(
    `${knowledge.entries.length} entries valid; ` +
      `${errors} error(s), ${warnings} warning(s) in ${config.knowledgeDir}\n`,
  );
  return errors > 0 ? 1 : 0;
}
