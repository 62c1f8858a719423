import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { loadConfig } from '../../src/config.js';
import { writeBuild } from '../../src/indexing/build-index.js';
import { chunkEntry, toEntryRecord } from '../../src/indexing/chunking.js';
import { GloveEmbedder } from '../../src/indexing/embedders/glove-embedder.js';
import { indexFormatVersion, loadBuild } from '../../src/indexing/index-store.js';
import { LexicalIndex } from '../../src/indexing/lexical-index.js';
import { VectorIndex } from '../../src/indexing/vector-index.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { Retriever, type SearchMode } from '../../src/retrieval/hybrid-search.js';
import { loadDevSet } from '../dev-set.js';
import { percentile } from '../metrics.js';
import { syntheticCorpus } from './synthetic-corpus.js';
import { measureAskLatency } from './ask-latency.js';
import { measureAckLatency } from './ack-latency.js';
import { createBenchDatabase } from './bench-database.js';
import { measureStoreLatency } from './store-latency.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,100000' },
    queries: { type: 'string', default: '400' },
    /** Only the store and acknowledgement figures (they need no synthetic corpus). */
    'store-only': { type: 'boolean' },
    /** Extra signed events for the memory soak (e.g. 30000), after the acknowledgement rates. */
    'soak-events': { type: 'string', default: '0' },
  },
});
const sizes = values['store-only'] ? [] : values.sizes.split(',').map(Number);
const queryCount = Number(values.queries);
const config = loadConfig();
const embeddingsDir = join(config.dataDir, 'embeddings');
const hnsw = { m: 16, efConstruction: 200 };

const knowledge = await loadKnowledge(config.knowledgeDir);
const realChunks = knowledge.entries.flatMap((entry) => chunkEntry(entry, knowledge.vocabulary));
const realRecords = knowledge.entries.map((entry) => toEntryRecord(entry, knowledge.vocabulary));
const embedder = new GloveEmbedder({
  cacheDir: embeddingsDir,
  log: (message) => process.stderr.write(`${message}\n`),
});
const questions = loadDevSet().map((question) => question.q);
const queryVectors = questions.map((question) => embedder.embedText(question));

/** Exact top-k by brute force, the ground truth for HNSW recall. */
function exactTop(vectors: Float32Array, dimensions: number, query: number[], k: number): number[] {
  const count = vectors.length / dimensions;
  const scores = new Float32Array(count);
  for (let row = 0; row < count; row += 1) {
    let dot = 0;
    for (let column = 0; column < dimensions; column += 1)
      dot += vectors[row * dimensions + column]! * query[column]!;
    scores[row] = dot;
  }
  return [...scores.keys()].sort((a, b) => scores[b]! - scores[a]!).slice(0, k);
}

const recallOf = (found: number[][], truth: number[][]) =>
  found.reduce(
    (sum, labels, index) =>
      sum + labels.filter((label) => truth[index]!.includes(label)).length / truth[index]!.length,
    0,
  ) / found.length;

const seconds = (millis: number) => `${(millis / 1000).toFixed(1)} s`;
/** A Markdown table row: `| a | b | c |`. */
const tableRow = (cells: string[]) => `| ${cells.join(' | ')} |`;
const rows: string[] = [];
const recallRows: string[] = [];
const coldRows: string[] = [];

for (const size of sizes) {
  globalThis.gc?.();
  const { chunks, records } = syntheticCorpus(realChunks, realRecords, size);
  const dimensions = embedder.dimensions;

  let started = performance.now();
  const vectors = new Float32Array(size * dimensions);
  chunks.forEach((chunk, row) => vectors.set(embedder.embedText(chunk.embeddingText), row * dimensions));
  const embedMillis = performance.now() - started;

  started = performance.now();
  const vectorIndex = VectorIndex.build(vectors, dimensions, hnsw);
  const graphMillis = performance.now() - started;

  started = performance.now();
  const titleOf = new Map(records.map((record) => [record.id, record.title]));
  LexicalIndex.build(
    chunks.map((chunk, row) => ({
      id: row,
      title: titleOf.get(chunk.entryId) ?? '',
      tags: chunk.tags,
      text: chunk.text,
    })),
  );
  const lexicalMillis = performance.now() - started;

  // Persist as `navigator index` does, then serve from the persisted files.
  const buildsDir = mkdtempSync(join(tmpdir(), 'psi-bench-'));
  const directory = writeBuild(buildsDir, {
    manifest: {
      formatVersion: indexFormatVersion,
      embedder: { id: embedder.id, dimensions },
      knowledgeHash: `synthetic-${size}`,
      builtAt: new Date().toISOString(),
      buildMillis: 0,
      counts: { entries: records.length, chunks: size, embedded: size, reused: 0 },
      hnsw,
    },
    records,
    chunks,
    vectors,
  });
  const index = loadBuild(directory, embedder);
  const latency = async (mode: SearchMode) => {
    const retriever = new Retriever(index, embedder, knowledge.vocabulary, { ef: config.searchEf });
    for (let warm = 0; warm < 20; warm += 1)
      await retriever.search(questions[warm % questions.length]!, { k: 10, mode });
    const timings: number[] = [];
    for (let query = 0; query < queryCount; query += 1) {
      const begin = performance.now();
      await retriever.search(questions[query % questions.length]!, { k: 10, mode });
      timings.push(performance.now() - begin);
    }
    return timings;
  };
  const hybrid = await latency('hybrid');
  const lexical = await latency('lexical');
  const vector = await latency('vector');
  const rss = process.memoryUsage().rss / 1024 / 1024;
  const perSecond = Math.round(size / (embedMillis / 1000))
    .toLocaleString('en')
    .padStart(9);
  rows.push(
    tableRow([
      String(size).padStart(7),
      `${perSecond}/s`,
      seconds(graphMillis).padStart(7),
      seconds(lexicalMillis).padStart(7),
      `${percentile(hybrid, 0.5).toFixed(2)} / ${percentile(hybrid, 0.95).toFixed(2)} ms`,
      `${percentile(lexical, 0.95).toFixed(2)} ms`,
      `${percentile(vector, 0.95).toFixed(2)} ms`,
      `${rss.toFixed(0)} MB`,
    ]),
  );

  const truth = queryVectors.map((query) => exactTop(vectors, dimensions, query, 10));
  const recallAtEf = (ef: number) =>
    recallOf(
      queryVectors.map((query) => vectorIndex.search(query, 10, ef).map((hit) => hit.label)),
      truth,
    );
  let wrapper = '—';
  if (size <= 10_000) {
    // The LangChain wrapper as a plain user would use it: defaults, no ef set.
    const store = await HNSWLib.fromTexts(
      chunks.map((chunk) => chunk.embeddingText),
      chunks.map((_, row) => ({ row })),
      embedder,
    );
    const found: number[][] = [];
    for (const query of queryVectors) {
      found.push(
        (await store.similaritySearchVectorWithScore(query, 10)).map(
          ([document]) => document.metadata.row as number,
        ),
      );
    }
    wrapper = recallOf(found, truth).toFixed(3);
  }
  recallRows.push(
    tableRow([
      String(size).padStart(7),
      recallAtEf(10).toFixed(3),
      recallAtEf(50).toFixed(3),
      recallAtEf(100).toFixed(3),
      recallAtEf(200).toFixed(3),
      wrapper,
    ]),
  );

  const coldStart = JSON.parse(
    execFileSync(
      process.execPath,
      [fileURLToPath(new URL('./cold-start.js', import.meta.url)), directory, embeddingsDir],
      { encoding: 'utf8' },
    ),
  ) as { embedderMillis: number; loadedMillis: number; firstQueryMillis: number };
  coldRows.push(
    tableRow([
      String(size).padStart(7),
      `${coldStart.embedderMillis.toFixed(0)} ms`,
      `${coldStart.loadedMillis.toFixed(0)} ms`,
      `${coldStart.firstQueryMillis.toFixed(0)} ms`,
    ]),
  );
  rmSync(buildsDir, { recursive: true, force: true });
  process.stderr.write(`size ${size} done\n`);
}

if (!values['store-only']) {
  console.log(
    `Benchmark: synthetic passages made from the knowledge base, ${queryCount} queries from the dev set, ` +
      `k=10, ef=${config.searchEf}, HNSW M=${hnsw.m} efConstruction=${hnsw.efConstruction}, ` +
      `node ${process.version}\n`,
  );
  console.log(
    '| passages | embedding | HNSW build | BM25 build | hybrid p50 / p95 | lexical p95 | vector p95 | RSS |',
  );
  console.log(
    '|---------|-------------|---------|---------|------------------|-------------|------------|-----|',
  );
  rows.forEach((row) => console.log(row));
  console.log('\nHNSW recall@10 against exact search:\n');
  console.log(
    '| passages | ef=10 (library default) | ef=50 | ef=100 | ef=200 | LangChain HNSWLib wrapper, defaults |',
  );
  console.log('|---------|-------|-------|--------|--------|-------|');
  recallRows.forEach((row) => console.log(row));
  console.log('\nCold start in a fresh process (load embedder, then index, then first query), cumulative:\n');
  console.log('| passages | embedder loaded | + index loaded | + first query |');
  console.log('|---------|-----------------|----------------|---------------|');
  coldRows.forEach((row) => console.log(row));
  console.log('\nWarm `ask` on the real knowledge base, offline (answer dev-set messages, 3 rounds):\n');
  (await measureAskLatency(config)).forEach((row) => console.log(row));
}

console.log('\nThe store, one operation at a time (the calls the adapters make per event):\n');
console.log('| engine | operation | calls | p50 | p95 |');
console.log('|--------|-----------|-------|-----|-----|');
(await measureStoreLatency('embedded (PGlite)', undefined)).forEach((row) => console.log(row));
const database = await createBenchDatabase();
if (!database)
  console.log('\n(No PostgreSQL at NAVIGATOR_BENCH_POSTGRES_URL: the PostgreSQL rows are skipped.)');
else {
  try {
    (await measureStoreLatency('PostgreSQL', database.url)).forEach((row) => console.log(row));
    console.log('\nSlack acknowledgement of a real replica on PostgreSQL, signed events sent open-loop:\n');
    console.log('| rate | events | not 200 | p50 | p99 | max |');
    console.log('|------|--------|---------|-----|-----|-----|');
    const { ackRows, soakRows } = await measureAckLatency(
      config,
      database.url,
      [50, 200],
      10,
      Number(values['soak-events']),
    );
    ackRows.forEach((row) => console.log(row));
    console.log('\nReplica memory after those events (add -- --soak-events 30000 for the soak):\n');
    console.log('| events sent | answered | RSS | JS heap used / total | external | rest (native) |');
    console.log('|-------------|----------|-----|----------------------|----------|---------------|');
    soakRows.forEach((row) => console.log(row));
  } finally {
    await database.drop();
  }
}
