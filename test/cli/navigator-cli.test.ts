import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFixtureKnowledge, temporaryDataDir } from '../support/knowledge-copy.js';
import { runNavigatorCli, navigatorBin } from '../support/run-cli.js';
import { linkSharedEmbeddings } from '../support/shared-embeddings.js';

const navigator = runNavigatorCli;
const bin = navigatorBin;

describe('navigator CLI on the real knowledge base', () => {
  const dataDir = temporaryDataDir();
  beforeAll(() => linkSharedEmbeddings(dataDir));

  it(
    'puts participatory budgeting in the top 3 for a paraphrased question, ' +
      'building the index on first use',
    async () => {
      const result = await navigator(
        ['search', 'how can residents decide how to spend part of the city budget', '--json'],
        { NAVIGATOR_DATA_DIR: dataDir },
      );
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('No index yet');
      const output = JSON.parse(result.stdout) as {
        query: string;
        results: { id: string; type: string; title: string; score: number }[];
      };
      expect(output.query).toBe('how can residents decide how to spend part of the city budget');
      const top3 = output.results.slice(0, 3);
      expect(top3.some((item) => /participatory|budget|\bpb\b/i.test(`${item.id} ${item.title}`))).toBe(true);
      for (const item of output.results)
        expect(Object.keys(item)).toEqual(expect.arrayContaining(['id', 'type', 'title', 'score']));
    },
  );

  it('answers with numbered citations that point at the entries it used', async () => {
    const result = await navigator(
      ['ask', 'Which countries give families benefits without an application?', '--json'],
      { NAVIGATOR_DATA_DIR: dataDir },
    );
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout) as {
      status: string;
      answer: string;
      citations: { id: string; url?: string }[];
    };
    expect(answer.status).toBe('answered');
    expect(answer.citations.map((citation) => citation.id)).toContain('estonia-proactive-family-benefits');
    const markers = [...answer.answer.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
    expect(markers.length).toBeGreaterThan(0);
    for (const marker of markers) expect(marker).toBeLessThanOrEqual(answer.citations.length);
  });

  it('says plainly when nothing relevant is found', async () => {
    const result = await navigator(['ask', 'what is a good recipe for lasagne with spinach', '--json'], {
      NAVIGATOR_DATA_DIR: dataDir,
    });
    const answer = JSON.parse(result.stdout) as { status: string; citations: unknown[] };
    expect(answer.status).toBe('no_match');
    expect(answer.citations).toEqual([]);
  });
});

describe('navigator CLI on a scratch knowledge base', () => {
  it('answers a batch of queries with one JSON line each and applies filters', async () => {
    const knowledgeDir = copyFixtureKnowledge();
    const dataDir = temporaryDataDir();
    linkSharedEmbeddings(dataDir);
    const batch = join(dataDir, 'queries.jsonl');
    writeFileSync(batch, '{"q": "residents vote on the budget"}\n{"q": "future scenarios for a region"}\n');
    const environment = { KNOWLEDGE_DIR: knowledgeDir, NAVIGATOR_DATA_DIR: dataDir };
    const result = await navigator(['search', '--batch', batch, '--json', '--k', '2'], environment);
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { query: string; results: { id: string }[] });
    expect(lines.map((line) => line.query)).toEqual([
      'residents vote on the budget',
      'future scenarios for a region',
    ]);
    expect(lines[0]!.results.map((item) => item.id)).toContain('city-budget-vote');
    expect(lines[1]!.results[0]!.id).toBe('regional-foresight');

    const filtered = await navigator(['search', 'budget', '--type', 'toolkit', '--json'], environment);
    expect(
      (JSON.parse(filtered.stdout) as { results: { id: string }[] }).results.map((item) => item.id),
    ).toEqual(['budget-vote-handbook']);

    const badFilter = await navigator(['search', 'budget', '--facet', 'visionary'], environment);
    expect(badFilter.code).toBe(2);
    expect(badFilter.stderr).toContain(
      '--facet "visionary" is not one of: enhancement-oriented, mission-oriented, adaptive, anticipatory',
    );
    // An option the command does not know is a usage error with the usage, not a stack trace.
    const unknownOption = await navigator(['ask', '--help'], environment);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("Unknown option '--help'");
    expect(unknownOption.stderr).toContain('Usage:');
    expect(unknownOption.stderr).not.toContain('    at ');
  });

  it('kb validate lists every problem and exits non-zero', async () => {
    const knowledgeDir = copyFixtureKnowledge();
    const path = join(knowledgeDir, 'cases', 'regional-foresight.md');
    writeFileSync(
      path,
      readFileSync(path, 'utf8')
        .replace('level: regional', 'level: county')
        .replace('year: 2021', 'year: twenty'),
    );
    const result = await navigator(['kb', 'validate'], {
      KNOWLEDGE_DIR: knowledgeDir,
      NAVIGATOR_DATA_DIR: temporaryDataDir(),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'cases/regional-foresight.md:9: level: has "county" — ' +
        'must be one of national, regional, local, international',
    );
    expect(result.stdout).toContain(
      'cases/regional-foresight.md:12: year: has "twenty" — must be a year such as 2019',
    );
    // The skipped entry is no longer a valid target for the facet that links to it.
    expect(result.stdout).toContain(
      'facets/anticipatory.md:10: related.0: "regional-foresight" is not the id of any entry',
    );
    expect(result.stdout).toMatch(/5 entries valid; 3 error\(s\), 0 warning\(s\)/);
  });

  it('names the bad environment variable', async () => {
    const result = await navigator(['search', 'budget'], { NAVIGATOR_EMBEDDER: 'word2vec' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('NAVIGATOR_EMBEDDER');
  });

  it('keeps the previous index serving when a rebuild is killed', async () => {
    const knowledgeDir = copyFixtureKnowledge();
    // Enough extra entries that the rebuild takes a while to finish.
    for (let number = 0; number < 1500; number += 1) {
      const text = readFileSync(join(knowledgeDir, 'cases', 'national-benefit-offer.md'), 'utf8')
        .replace('id: national-benefit-offer', `id: filler-${number}`)
        .replace(
          '## Lessons',
          `## Lessons\nFiller passage number ${number} ${'about registers and data '.repeat(40)}`,
        );
      writeFileSync(join(knowledgeDir, 'cases', `filler-${number}.md`), text);
    }
    const dataDir = temporaryDataDir();
    linkSharedEmbeddings(dataDir);
    const environment = { KNOWLEDGE_DIR: knowledgeDir, NAVIGATOR_DATA_DIR: dataDir };
    expect((await navigator(['index'], environment)).code).toBe(0);
    const pointer = readFileSync(join(dataDir, 'index', 'CURRENT'), 'utf8');

    // Change every filler so the next build must embed them all, then kill it mid-build.
    for (let number = 0; number < 1500; number += 1) {
      const path = join(knowledgeDir, 'cases', `filler-${number}.md`);
      writeFileSync(path, readFileSync(path, 'utf8').replace('Filler passage', 'Edited filler passage'));
    }
    const child = spawn(process.execPath, [bin, 'index'], {
      cwd: '/',
      env: { PATH: process.env.PATH ?? '', ...environment },
    });
    const buildsDir = join(dataDir, 'index', 'builds');
    const started = Date.now();
    while (
      !readdirSync(buildsDir).some((name) => name.endsWith('.tmp')) &&
      child.exitCode === null &&
      Date.now() - started < 30_000
    ) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    expect(readFileSync(join(dataDir, 'index', 'CURRENT'), 'utf8')).toBe(pointer);
    const search = await navigator(['search', 'residents vote on the budget', '--json', '--k', '1'], {
      ...environment,
      KNOWLEDGE_DIR: copyFixtureKnowledge(),
    });
    // The scratch KB differs, so the CLI refreshes — from the intact previous build.
    expect(search.code).toBe(0);
    expect((JSON.parse(search.stdout) as { results: { id: string }[] }).results[0]!.id).toBe(
      'city-budget-vote',
    );
    expect(existsSync(join(dataDir, 'index', 'CURRENT'))).toBe(true);
  });
});
