import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const fixtureKnowledgeDir = join(import.meta.dirname, '..', 'fixtures', 'knowledge');

/** A throwaway copy of the fixture knowledge base that a test may edit. */
export function copyFixtureKnowledge(): string {
  const directory = mkdtempSync(join(tmpdir(), 'psi-knowledge-'));
  cpSync(fixtureKnowledgeDir, directory, { recursive: true });
  return directory;
}

/** A fresh, empty data directory. */
export function temporaryDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'psi-data-'));
}

export function writeEntry(knowledgeDir: string, relativePath: string, text: string): void {
  writeFileSync(join(knowledgeDir, relativePath), text);
}
