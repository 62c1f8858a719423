import type { EntryRecord } from '../indexing/chunking.js';
import type { Citation } from './answer.js';

/** Numbers entries in the order an answer mentions them: the first cited is [1]. */
export class CitationList {
  readonly citations: Citation[] = [];

  /** The entry's marker number, adding it if new. */
  cite(entry: Pick<EntryRecord, 'id' | 'type' | 'title' | 'url'>): number {
    const existing = this.citations.findIndex((citation) => citation.id === entry.id);
    if (existing !== -1) return existing + 1;
    this.citations.push({
      id: entry.id,
      type: entry.type,
      title: entry.title,
      ...(entry.url ? { url: entry.url } : {}),
    });
    return this.citations.length;
  }
}
