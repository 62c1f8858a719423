import type { CallbackManagerForRetrieverRun } from '@langchain/core/callbacks/manager';
import type { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import type { SearchFilters } from '../retrieval/filters.js';
import type { Retriever, SearchMode } from '../retrieval/hybrid-search.js';
import { toDocument, type NavigatorDocumentMetadata } from './to-document.js';

export interface NavigatorRetrieverInput extends BaseRetrieverInput {
  /** The Navigator's hybrid retriever (from `openRetriever`). */
  retriever: Retriever;
  /** Entries to return (default 5). */
  k?: number;
  filters?: SearchFilters;
  mode?: SearchMode;
}

/**
 * The Navigator's hybrid search (BM25 + vectors, fused) as a LangChain retriever: one Document per
 * entry, its best passage as page content, id, type, title, place, facets, stages, url and the
 * fused score as metadata.
 */
export class NavigatorRetriever extends BaseRetriever<NavigatorDocumentMetadata> {
  static lc_name(): string {
    return 'NavigatorRetriever';
  }

  lc_namespace = ['psi_navigator', 'retrievers'];
  private readonly retriever: Retriever;
  readonly k: number;
  readonly filters?: SearchFilters;
  readonly mode: SearchMode;

  constructor(fields: NavigatorRetrieverInput) {
    super(fields);
    this.retriever = fields.retriever;
    this.k = fields.k ?? 5;
    this.filters = fields.filters;
    this.mode = fields.mode ?? 'hybrid';
  }

  /** A copy with other filters, e.g. `retriever.withFilters({ levels: ['local'] })`. */
  withFilters(filters: SearchFilters): NavigatorRetriever {
    return new NavigatorRetriever({ retriever: this.retriever, k: this.k, filters, mode: this.mode });
  }

  async _getRelevantDocuments(
    query: string,
    _runManager?: CallbackManagerForRetrieverRun,
  ): Promise<Document<NavigatorDocumentMetadata>[]> {
    const results = await this.retriever.search(query, { k: this.k, filters: this.filters, mode: this.mode });
    return results.map((result) => toDocument(result.entry, result.bestChunk, result.score));
  }
}
