import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { NavigatorError } from '../errors.js';
import type { LoadedKnowledge } from '../knowledge/load-knowledge.js';
import {
  chunkEntry,
  chunkerVersion,
  toEntryRecord,
  type Chunk,
  type EntryRecord,
  type StoredChunk,
} from './chunking.js';
import type { Embedder } from './embedders/embedder.js';
import {
  currentBuildDirectory,
  indexFiles,
  indexFormatVersion,
  indexPaths,
  readManifest,
  type IndexManifest,
} from './index-store.js';
import { LexicalIndex } from './lexical-index.js';
import { VectorIndex } from './vector-index.js';

export interface BuildOptions {
  dataDir: string;
  knowledge: LoadedKnowledge;
  embedder: Embedder;
  /** Called as chunks are embedded, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
  batchSize?: number;
  hnsw?: { m: number; efConstruction: number };
}

export interface BuildReport {
  manifest: IndexManifest;
  directory: string;
}

/** Fingerprint of what an index is built from: every entry, the vocabulary and the chunker. */
export function knowledgeHashOf(knowledge: LoadedKnowledge): string {
  const hash = createHash('sha256').update(chunkerVersion).update(knowledge.vocabulary.sourceText);
  for (const entry of [...knowledge.entries].sort((a, b) => a.file.localeCompare(b.file))) {
    hash.update(`${entry.file}\0${entry.contentHash}\0`);
  }
  return hash.digest('hex');
}

/** What identifies a passage's vector: the exact text given to the embedder. */
export const embeddingKeyOf = (chunk: Chunk) =>
  createHash('sha256').update(chunk.embeddingText).digest('base64');

/**
 * Builds the index into a fresh directory and only then points CURRENT at it (write + rename),
 * so a failed or killed build leaves the previous index serving. Vectors of passages whose text
 * did not change are copied from the previous build instead of being embedded again.
 */
export async function buildIndex(options: BuildOptions): Promise<BuildReport> {
  const started = Date.now();
  const { dataDir, knowledge, embedder } = options;
  const hnsw = options.hnsw ?? { m: 16, efConstruction: 200 };
  const paths = indexPaths(dataDir);
  mkdirSync(paths.builds, { recursive: true });

  const records = knowledge.entries.map((entry) => toEntryRecord(entry, knowledge.vocabulary));
  const chunks = knowledge.entries.flatMap((entry) => chunkEntry(entry, knowledge.vocabulary));
  const dimensions = embedder.dimensions;
  const vectors = new Float32Array(chunks.length * dimensions);

  const previous = reusableVectors(dataDir, embedder);
  const toEmbed: number[] = [];
  chunks.forEach((chunk, row) => {
    const reused = previous.get(embeddingKeyOf(chunk));
    if (reused) vectors.set(reused, row * dimensions);
    else toEmbed.push(row);
  });

  const batchSize = options.batchSize ?? 64;
  options.onProgress?.(0, toEmbed.length);
  for (let start = 0; start < toEmbed.length; start += batchSize) {
    const rows = toEmbed.slice(start, start + batchSize);
    const embedded = await embedder.embedDocuments(rows.map((row) => chunks[row]!.embeddingText));
    embedded.forEach((vector, position) => {
      if (vector.length !== dimensions) {
        throw new NavigatorError(
          'index_build_failed',
          `The embedder "${embedder.id}" returned ${vector.length} dimensions instead of ${dimensions}.`,
        );
      }
      vectors.set(vector, rows[position]! * dimensions);
    });
    options.onProgress?.(Math.min(start + batchSize, toEmbed.length), toEmbed.length);
  }

  const manifest: IndexManifest = {
    formatVersion: indexFormatVersion,
    embedder: { id: embedder.id, dimensions },
    knowledgeHash: knowledgeHashOf(knowledge),
    builtAt: new Date().toISOString(),
    buildMillis: 0,
    counts: {
      entries: records.length,
      chunks: chunks.length,
      embedded: toEmbed.length,
      reused: chunks.length - toEmbed.length,
    },
    hnsw,
  };
  try {
    const directory = writeBuild(paths.builds, { manifest, records, chunks, vectors }, started);
    const buildId = basename(directory);
    const pointer = `${paths.current}.${process.pid}.tmp`;
    writeFileSync(pointer, `${buildId}\n`);
    renameSync(pointer, paths.current);
    pruneBuilds(paths.builds, buildId);
    return { manifest: readManifest(directory), directory };
  } catch (cause) {
    throw new NavigatorError(
      'index_build_failed',
      `Building the index failed (${(cause as Error).message}); the previous index keeps serving.`,
      { cause },
    );
  }
}

export interface BuildContents {
  manifest: IndexManifest;
  records: EntryRecord[];
  chunks: Chunk[];
  vectors: Float32Array;
}

/**
 * Writes a complete build into `<buildsDir>/<id>.tmp` and renames it to `<buildsDir>/<id>` only
 * when every file is written; returns the final directory. Does not switch CURRENT.
 */
export function writeBuild(buildsDir: string, contents: BuildContents, started = Date.now()): string {
  const { manifest, records, chunks, vectors } = contents;
  const buildId = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
  const temporary = join(buildsDir, `${buildId}.tmp`);
  const directory = join(buildsDir, buildId);
  mkdirSync(temporary, { recursive: true });
  try {
    VectorIndex.build(vectors, manifest.embedder.dimensions, manifest.hnsw).save(
      join(temporary, indexFiles.graph),
    );
    const titleOf = new Map(records.map((record) => [record.id, record.title]));
    const lexical = LexicalIndex.build(
      chunks.map((chunk, row) => ({
        id: row,
        title: titleOf.get(chunk.entryId) ?? '',
        tags: chunk.tags,
        text: chunk.text,
      })),
    );
    writeFileSync(join(temporary, indexFiles.lexical), lexical.toJSON());
    writeFileSync(
      join(temporary, indexFiles.vectors),
      Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength),
    );
    writeFileSync(join(temporary, indexFiles.entries), JSON.stringify(records));
    const stored: StoredChunk[] = chunks.map(({ embeddingText: _text, ...chunk }, row) => ({
      ...chunk,
      embeddingKey: embeddingKeyOf(chunks[row]!),
    }));
    writeFileSync(join(temporary, indexFiles.chunks), JSON.stringify(stored));
    // The manifest goes last: a build directory without one is never loaded.
    writeFileSync(
      join(temporary, indexFiles.manifest),
      JSON.stringify({ ...manifest, buildMillis: Date.now() - started }, null, 2),
    );
    renameSync(temporary, directory);
    return directory;
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
}

/** Vectors of the serving build keyed by passage text, when it used the same embedder. */
function reusableVectors(dataDir: string, embedder: Embedder): Map<string, Float32Array> {
  const reusable = new Map<string, Float32Array>();
  const directory = currentBuildDirectory(dataDir);
  if (!directory) return reusable;
  try {
    const manifest = readManifest(directory);
    if (manifest.embedder.id !== embedder.id || manifest.embedder.dimensions !== embedder.dimensions)
      return reusable;
    const chunks = JSON.parse(readFileSync(join(directory, indexFiles.chunks), 'utf8')) as StoredChunk[];
    const bytes = readFileSync(join(directory, indexFiles.vectors));
    const vectors = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    const size = manifest.embedder.dimensions;
    chunks.forEach((chunk, row) =>
      reusable.set(chunk.embeddingKey, vectors.slice(row * size, (row + 1) * size)),
    );
  } catch {
    // An unreadable previous build only costs a full re-embed.
  }
  return reusable;
}

/** Keeps the new build and the one before it; removes older ones and leftovers of killed builds. */
function pruneBuilds(buildsDir: string, keep: string): void {
  const names = readdirSync(buildsDir).sort();
  const previous = names.filter((name) => !name.endsWith('.tmp') && name !== keep).at(-1);
  for (const name of names) {
    if (name === keep || name === previous) continue;
    const path = join(buildsDir, name);
    // A young .tmp may belong to a build still running in another process.
    if (name.endsWith('.tmp') && Date.now() - statSync(path).mtimeMs < 10 * 60_000) continue;
    rmSync(path, { recursive: true, force: true });
  }
}
