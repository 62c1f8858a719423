import { GloveEmbedder } from '../../src/indexing/embedders/glove-embedder.js';
import { loadBuild } from '../../src/indexing/index-store.js';

// Run in a fresh process: time to load the embedder and a persisted index, then answer one query.
const [directory, embeddingsDir] = process.argv.slice(2) as [string, string];
const started = performance.now();
const embedder = new GloveEmbedder({ cacheDir: embeddingsDir });
const embedderMillis = performance.now() - started;
const index = loadBuild(directory, embedder);
const loadedMillis = performance.now() - started;
index.vectorIndex.search(embedder.embedText('participatory budgeting in cities'), 10, 100);
const firstQueryMillis = performance.now() - started;
process.stdout.write(
  JSON.stringify({ embedderMillis, loadedMillis, firstQueryMillis, chunks: index.chunks.length }),
);
