/**
 * The embedder port: an id, a dimension and two methods (the same contract as LangChain's
 * `Embeddings`). Indexes record the id and dimension and refuse to load under another.
 */
export interface Embedder {
  readonly id: string;
  readonly dimensions: number;
  embedDocuments(texts: string[]): Promise<number[][]>;
  embedQuery(text: string): Promise<number[]>;
}

/** Scales a vector to unit length in place; a zero vector stays zero. */
export function normalise(vector: number[] | Float32Array): void {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm === 0) return;
  for (let index = 0; index < vector.length; index += 1) vector[index]! /= norm;
}

/** True when a vector has no direction (no known word in the text). */
export function isZeroVector(vector: ArrayLike<number>): boolean {
  for (let index = 0; index < vector.length; index += 1) if (vector[index] !== 0) return false;
  return true;
}
