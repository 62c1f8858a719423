import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntryHashes } from '../store/channel-state.js';
import { entryTypes, folderByType, type KnowledgeEntry } from './schemas.js';

// What the knowledge base holds, as entry id → sha256 of the entry's file: the same hash the loader
// gives each entry (contentHash), so a digest can tell what was added or edited since a snapshot.

/** The hashes of loaded entries. */
export function entryHashesOf(entries: readonly KnowledgeEntry[]): EntryHashes {
  return Object.fromEntries(entries.map((entry) => [entry.id, entry.contentHash]));
}

/**
 * The hashes of every entry file, read without parsing or validating them: quick enough to take
 * while a Slack command waits for its acknowledgement. An entry's id is its file name (the loader
 * refuses any other), so the keys match entryHashesOf's.
 */
export async function hashEntryFiles(knowledgeDir: string): Promise<EntryHashes> {
  const hashes: EntryHashes = {};
  for (const folder of new Set(entryTypes.map((type) => folderByType[type]))) {
    const names = await readdir(join(knowledgeDir, folder)).catch(() => [] as string[]);
    for (const name of names.filter((file) => file.endsWith('.md')).sort()) {
      const bytes = await readFile(join(knowledgeDir, folder, name));
      hashes[name.slice(0, -'.md'.length)] = createHash('sha256').update(bytes).digest('hex');
    }
  }
  return hashes;
}
