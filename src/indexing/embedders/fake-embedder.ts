import { createHash } from 'node:crypto';
import { tokenize } from '../../text/tokenize.js';
import { normalise, type Embedder } from './embedder.js';

/**
 * A deterministic stand-in for tests: hashes each word to a dimension, so texts that share
 * words are close. It records every call so tests can assert what was (re-)embedded.
 */
export class FakeEmbedder implements Embedder {
  readonly embedDocumentsCalls: string[][] = [];
  readonly embedQueryCalls: string[] = [];

  constructor(
    readonly id = 'fake-hashing',
    readonly dimensions = 64,
  ) {}

  embedText(text: string): number[] {
    const vector = new Array<number>(this.dimensions).fill(0);
    for (const token of tokenize(text)) {
      const digest = createHash('md5').update(token).digest();
      vector[digest.readUInt32LE(0) % this.dimensions]! += digest[4]! % 2 === 0 ? 1 : -1;
    }
    normalise(vector);
    return vector;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    this.embedDocumentsCalls.push([...texts]);
    return texts.map((text) => this.embedText(text));
  }

  async embedQuery(text: string): Promise<number[]> {
    this.embedQueryCalls.push(text);
    return this.embedText(text);
  }
}
