import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildWordVectorCache } from '../../src/indexing/embedders/glove-word-vectors.js';
import { sharedEmbeddingsDir } from './shared-embeddings.js';

/** Converts the GloVe vectors once for the whole run; tests link their data dirs to it. */
export default function setup(): void {
  const path = join(sharedEmbeddingsDir, 'glove-sg-100d-top100000.bin');
  if (!existsSync(path)) buildWordVectorCache(path, 100_000);
}
