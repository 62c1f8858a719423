import hnswlib from 'hnswlib-node';
import { isZeroVector } from './embedders/embedder.js';

const { HierarchicalNSW } = hnswlib;

export interface VectorIndexOptions {
  /** Graph degree. */
  m?: number;
  /** Build-time search depth. */
  efConstruction?: number;
}

export interface VectorHit {
  label: number;
  /** Cosine similarity in [-1, 1]. */
  similarity: number;
}

/** Approximate nearest-neighbour search over chunk vectors with hnswlib, cosine space. */
export class VectorIndex {
  private constructor(
    private readonly index: InstanceType<typeof HierarchicalNSW>,
    readonly dimensions: number,
    readonly size: number,
  ) {}

  /** Builds a graph over `vectors`; row i gets label i. */
  static build(vectors: Float32Array, dimensions: number, options: VectorIndexOptions = {}): VectorIndex {
    const count = vectors.length / dimensions;
    const index = new HierarchicalNSW('cosine', dimensions);
    index.initIndex(Math.max(count, 1), options.m ?? 16, options.efConstruction ?? 200, 42);
    for (let label = 0; label < count; label += 1) {
      const row = Array.from(vectors.subarray(label * dimensions, (label + 1) * dimensions));
      // hnswlib's cosine space divides by the norm; a zero row would poison the graph.
      if (isZeroVector(row)) row[0] = 1e-6;
      index.addPoint(row, label);
    }
    return new VectorIndex(index, dimensions, count);
  }

  /** Loads a graph written by `save`. */
  static load(path: string, dimensions: number, size: number): VectorIndex {
    const index = new HierarchicalNSW('cosine', dimensions);
    index.readIndexSync(path);
    return new VectorIndex(index, dimensions, size);
  }

  save(path: string): void {
    this.index.writeIndexSync(path);
  }

  /**
   * The k nearest labels. `ef` is set on every call: hnswlib's default of 10 (which the
   * LangChain wrapper keeps) finds only about three quarters of the true neighbours.
   */
  search(query: number[], k: number, ef: number, filter?: (label: number) => boolean): VectorHit[] {
    if (this.size === 0 || isZeroVector(query)) return [];
    const limit = Math.min(k, this.size);
    this.index.setEf(Math.max(ef, limit));
    const result = this.index.searchKnn(query, limit, filter);
    return result.neighbors.map((label, position) => ({
      label,
      similarity: 1 - result.distances[position]!,
    }));
  }
}
