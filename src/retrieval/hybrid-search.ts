import type { EntryRecord, StoredChunk } from '../indexing/chunking.js';
import type { Embedder } from '../indexing/embedders/embedder.js';
import type { LoadedIndex } from '../indexing/index-store.js';
import type { Vocabulary } from '../knowledge/vocabulary.js';
import { hasFilters, matchesFilters, type SearchFilters } from './filters.js';
import { expandQuery } from './query-expansion.js';

export type SearchMode = 'hybrid' | 'lexical' | 'vector';

export interface SearchOptions {
  k?: number;
  filters?: SearchFilters;
  mode?: SearchMode;
}

/** One entry found for a query, with the passage that matched best. */
export interface SearchResult {
  entry: EntryRecord;
  score: number;
  bestChunk: StoredChunk;
  /** 1-based rank in each list, when the entry was in it. */
  lexicalRank?: number;
  vectorRank?: number;
  /** Cosine similarity of the best passage (vector evidence strength). */
  similarity?: number;
  /** Distinct query terms found in the entry's best lexical passage (0 when none). */
  matchedTerms: number;
}

/** Parameters of the fusion, tuned on evals/retrieval-dev-set.jsonl. */
export interface FusionParameters {
  /** Reciprocal rank fusion constant: larger flattens the rank curve. */
  rrfK: number;
  lexicalWeight: number;
  vectorWeight: number;
  /** Passages fetched from each index per requested entry. */
  candidatesPerResult: number;
  /** HNSW search depth. */
  ef: number;
}

export const defaultFusion: FusionParameters = {
  rrfK: 10,
  lexicalWeight: 1.5,
  vectorWeight: 1,
  candidatesPerResult: 10,
  ef: 200,
};

interface Ranked {
  entryId: string;
  score: number;
  label: number;
  matchedTerms?: number;
}

/** Lexical (BM25) and vector search over one loaded index, fused with weighted reciprocal ranks. */
export class Retriever {
  readonly fusion: FusionParameters;
  private readonly recentQueryVectors = new Map<string, number[]>();

  constructor(
    readonly index: LoadedIndex,
    private readonly embedder: Embedder,
    private readonly vocabulary: Vocabulary,
    fusion: Partial<FusionParameters> = {},
  ) {
    this.fusion = { ...defaultFusion, ...fusion };
  }

  /** Finds the entries that best answer `query`, best first. */
  async search(query: string, options: SearchOptions = {}): Promise<SearchResult[]> {
    const k = options.k ?? 5;
    const mode = options.mode ?? 'hybrid';
    const filter = this.chunkFilter(options.filters);
    const candidates = Math.max(50, k * this.fusion.candidatesPerResult);

    const lexical = mode === 'vector' ? [] : this.lexicalRanking(query, candidates, filter);
    const vector = mode === 'lexical' ? [] : await this.vectorRanking(query, candidates, filter);

    const fused = new Map<
      string,
      {
        score: number;
        label: number;
        lexicalRank?: number;
        vectorRank?: number;
        similarity?: number;
        matchedTerms?: number;
      }
    >();
    const add = (ranking: Ranked[], weight: number, which: 'lexicalRank' | 'vectorRank') => {
      ranking.forEach((hit, position) => {
        const current = fused.get(hit.entryId) ?? { score: 0, label: hit.label };
        current.score += weight / (this.fusion.rrfK + position + 1);
        current[which] = position + 1;
        if (which === 'vectorRank') current.similarity = hit.score;
        else current.matchedTerms = hit.matchedTerms;
        // Show the passage the lexical index liked; the vector one when lexical found nothing.
        if (which === 'lexicalRank' || current.lexicalRank === undefined) current.label = hit.label;
        fused.set(hit.entryId, current);
      });
    };
    add(lexical, this.fusion.lexicalWeight, 'lexicalRank');
    add(vector, this.fusion.vectorWeight, 'vectorRank');

    return [...fused.entries()]
      .sort((a, b) => b[1].score - a[1].score || a[0].localeCompare(b[0]))
      .slice(0, k)
      .map(([entryId, hit]) => ({
        entry: this.index.entryById.get(entryId)!,
        score: hit.score,
        bestChunk: this.index.chunks[hit.label]!,
        lexicalRank: hit.lexicalRank,
        vectorRank: hit.vectorRank,
        similarity: hit.similarity,
        matchedTerms: hit.matchedTerms ?? 0,
      }));
  }

  /** A predicate on passage labels for the filters (undefined when there are none). */
  chunkFilter(filters: SearchFilters | undefined): ((label: number) => boolean) | undefined {
    if (!filters || !hasFilters(filters)) return undefined;
    const allowedEntries = new Set(
      this.index.entries.filter((entry) => matchesFilters(entry, filters)).map((entry) => entry.id),
    );
    const allowed = this.index.chunks.map((chunk) => allowedEntries.has(chunk.entryId));
    return (label) => allowed[label] === true;
  }

  private lexicalRanking(query: string, candidates: number, filter?: (label: number) => boolean): Ranked[] {
    const hits = this.index.lexicalIndex.search(expandQuery(query, this.vocabulary), candidates, filter);
    return bestPerEntry(hits, this.index.chunks);
  }

  /**
   * One answer searches the same question several times (evidence, peers, methods); with a
   * remote embedder each embedding is a network call, so recent query vectors are kept.
   */
  private async embedQuery(query: string): Promise<number[]> {
    const cached = this.recentQueryVectors.get(query);
    if (cached) return cached;
    const vector = await this.embedder.embedQuery(query);
    this.recentQueryVectors.set(query, vector);
    if (this.recentQueryVectors.size > 64)
      this.recentQueryVectors.delete(this.recentQueryVectors.keys().next().value as string);
    return vector;
  }

  private async vectorRanking(
    query: string,
    candidates: number,
    filter?: (label: number) => boolean,
  ): Promise<Ranked[]> {
    const vector = await this.embedQuery(query);
    const hits = this.index.vectorIndex.search(vector, candidates, this.fusion.ef, filter);
    return bestPerEntry(
      hits.map((hit) => ({ label: hit.label, score: hit.similarity })),
      this.index.chunks,
    );
  }
}

/** Chunk hits → one hit per entry, keeping each entry's best passage, best first. */
function bestPerEntry(
  hits: { label: number; score: number; matchedTerms?: number }[],
  chunks: StoredChunk[],
): Ranked[] {
  const best = new Map<string, Ranked>();
  for (const hit of hits) {
    const entryId = chunks[hit.label]!.entryId;
    const current = best.get(entryId);
    if (!current || hit.score > current.score)
      best.set(entryId, { entryId, score: hit.score, label: hit.label, matchedTerms: hit.matchedTerms });
  }
  return [...best.values()].sort((a, b) => b.score - a.score);
}
