import type { Document, DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { VectorStore } from '@langchain/core/vectorstores';
import { NavigatorError } from '../errors.js';
import type { LoadedIndex } from '../indexing/index-store.js';
import type { SearchFilters } from '../retrieval/filters.js';
import type { Retriever } from '../retrieval/hybrid-search.js';
import { toDocument } from './to-document.js';

/**
 * The vector side of the Navigator's index through LangChain's VectorStore interface (passages,
 * cosine similarity, the Navigator's filters). It reads the index the Navigator builds: builds
 * are incremental (only changed passages re-embedded) and switched atomically, which
 * `HNSWLib.save` from @langchain/community does not offer, so this store is read-only.
 */
export class NavigatorVectorStore extends VectorStore {
  declare FilterType: SearchFilters;

  constructor(
    embeddings: EmbeddingsInterface,
    private readonly index: LoadedIndex,
    private readonly retriever: Retriever,
  ) {
    super(embeddings, {});
  }

  _vectorstoreType(): string {
    return 'psi-navigator-hnsw';
  }

  async addVectors(_vectors: number[][], _documents: DocumentInterface[]): Promise<void> {
    throw readOnly();
  }

  async addDocuments(_documents: DocumentInterface[]): Promise<void> {
    throw readOnly();
  }

  /** The k nearest passages, with their cosine similarity (1 = same direction). */
  async similaritySearchVectorWithScore(
    query: number[],
    k: number,
    filter?: SearchFilters,
  ): Promise<[DocumentInterface, number][]> {
    const hits = this.index.vectorIndex.search(
      query,
      k,
      this.retriever.fusion.ef,
      this.retriever.chunkFilter(filter),
    );
    return hits.map((hit): [Document, number] => {
      const chunk = this.index.chunks[hit.label]!;
      const entry = this.index.entryById.get(chunk.entryId)!;
      return [toDocument(entry, chunk, hit.similarity), hit.similarity];
    });
  }
}

function readOnly(): NavigatorError {
  return new NavigatorError(
    'index_read_only',
    'The Navigator index is built from knowledge/: add or edit an entry file, then run ' +
      '`navigator index` (or let the next search rebuild it).',
  );
}
