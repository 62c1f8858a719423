import { join } from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import { stopWords, tokenize } from '../../text/tokenize.js';
import { normalise, type Embedder } from './embedder.js';
import { loadWordVectors, type WordVectors } from './glove-word-vectors.js';

export interface GloveEmbedderOptions {
  /** Directory that holds the binary cache (the data dir's embeddings/ folder). */
  cacheDir: string;
  /** How many of the most frequent words to keep; rarer words are ignored. */
  maxWords?: number;
  /** SIF smoothing: smaller values down-weight frequent words more. */
  smoothing?: number;
  /** Remove the direction all English text shares (SIF's common component). */
  removeCommonComponent?: boolean;
  log?: (message: string) => void;
}

/**
 * Offline sentence embeddings: a smooth-inverse-frequency weighted mean of GloVe 100-d word
 * vectors (Arora et al., 2017), normalised. Needs no network and no model download.
 */
export class GloveEmbedder extends Embeddings implements Embedder {
  readonly id: string;
  readonly dimensions = 100;
  private readonly vectors: WordVectors;
  private readonly weights: Float32Array;
  private readonly commonDirection?: number[];

  constructor(options: GloveEmbedderOptions) {
    super({});
    const maxWords = options.maxWords ?? 100_000;
    const smoothing = options.smoothing ?? 1e-3;
    const removeCommon = options.removeCommonComponent ?? true;
    this.id = `glove-sg-100d-sif:${maxWords}:${smoothing}${removeCommon ? ':pc1' : ''}`;
    this.vectors = loadWordVectors(
      join(options.cacheDir, `glove-sg-100d-top${maxWords}.bin`),
      maxWords,
      options.log,
    );
    // Word order in GloVe follows corpus frequency, so Zipf's law gives p(word) from its rank.
    const harmonic = Math.log(341_479) + 0.5772;
    this.weights = new Float32Array(this.vectors.words.length);
    for (let rank = 0; rank < this.weights.length; rank += 1) {
      const probability = 1 / ((rank + 1) * harmonic);
      this.weights[rank] = smoothing / (smoothing + probability);
    }
    if (removeCommon) this.commonDirection = this.expectedTextDirection();
  }

  /**
   * The direction of "any English text": the frequency-weighted mean of the weighted word
   * vectors. Derived from the vectors alone, so it does not depend on the knowledge base.
   */
  private expectedTextDirection(): number[] {
    const { dimensions, vectors, words } = this.vectors;
    const harmonic = Math.log(341_479) + 0.5772;
    const direction = new Array<number>(dimensions).fill(0);
    for (let rank = 0; rank < words.length; rank += 1) {
      if (stopWords.has(words[rank]!)) continue;
      const share = (1 / ((rank + 1) * harmonic)) * this.weights[rank]!;
      for (let column = 0; column < dimensions; column += 1)
        direction[column]! += share * vectors[rank * dimensions + column]!;
    }
    normalise(direction);
    return direction;
  }

  /** Embeds one text synchronously (the hot path of every query). */
  embedText(text: string): number[] {
    const { dimensions, vectors, rankOf } = this.vectors;
    const sum = new Array<number>(dimensions).fill(0);
    for (const token of tokenize(text)) {
      if (stopWords.has(token)) continue;
      const rank = rankOf.get(token);
      if (rank === undefined) continue;
      const weight = this.weights[rank]!;
      const offset = rank * dimensions;
      for (let column = 0; column < dimensions; column += 1)
        sum[column]! += weight * vectors[offset + column]!;
    }
    if (this.commonDirection) {
      let projection = 0;
      for (let column = 0; column < dimensions; column += 1)
        projection += sum[column]! * this.commonDirection[column]!;
      for (let column = 0; column < dimensions; column += 1)
        sum[column]! -= projection * this.commonDirection[column]!;
    }
    normalise(sum);
    return sum;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.embedText(text));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embedText(text);
  }
}
