import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One GloVe cache shared by every test in the machine's temp directory. */
export const sharedEmbeddingsDir = join(tmpdir(), 'psi-navigator-test-embeddings');

/** A data dir whose embeddings/ points at the shared cache, so no test converts the vectors again. */
export function linkSharedEmbeddings(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  symlinkSync(sharedEmbeddingsDir, join(dataDir, 'embeddings'));
}

/** A fresh data dir that already has the converted word vectors. */
export function dataDirWithSharedEmbeddings(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'psi-data-'));
  linkSharedEmbeddings(dataDir);
  return dataDir;
}
