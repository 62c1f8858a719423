import { Document } from '@langchain/core/documents';
import type { EntryRecord, StoredChunk } from '../indexing/chunking.js';

/** The metadata every Navigator document carries, so a chain can cite and filter. */
export interface NavigatorDocumentMetadata {
  id: string;
  type: string;
  title: string;
  country?: string;
  level?: string;
  facets: string[];
  stages: string[];
  url?: string;
  score: number;
  /** The section of the entry the passage comes from ("" for the entry's card). */
  heading: string;
}

/** One passage of an entry as a LangChain Document: the passage under its entry title. */
export function toDocument(
  entry: EntryRecord,
  chunk: StoredChunk,
  score: number,
): Document<NavigatorDocumentMetadata> {
  return new Document<NavigatorDocumentMetadata>({
    id: `${entry.id}#${chunk.heading || 'card'}`,
    pageContent: `${entry.title}${chunk.heading ? ` — ${chunk.heading}` : ''}\n${chunk.text}`,
    metadata: {
      id: entry.id,
      type: entry.type,
      title: entry.title,
      ...(entry.country ? { country: entry.country } : {}),
      ...(entry.level ? { level: entry.level } : {}),
      facets: entry.facets,
      stages: entry.lifecycleStages,
      ...(entry.url ? { url: entry.url } : {}),
      score,
      heading: chunk.heading,
    },
  });
}
