import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { NavigatorError } from '../errors.js';
import type { EntryRecord, StoredChunk } from './chunking.js';
import type { Embedder } from './embedders/embedder.js';
import { LexicalIndex } from './lexical-index.js';
import { VectorIndex } from './vector-index.js';

/** Bumped whenever the files of a build change shape; older builds are rebuilt, not misread. */
export const indexFormatVersion = 3;

export const manifestSchema = z.object({
  formatVersion: z.literal(indexFormatVersion),
  embedder: z.object({ id: z.string(), dimensions: z.number().int().positive() }),
  knowledgeHash: z.string(),
  builtAt: z.string(),
  buildMillis: z.number(),
  counts: z.object({ entries: z.number(), chunks: z.number(), embedded: z.number(), reused: z.number() }),
  hnsw: z.object({ m: z.number(), efConstruction: z.number() }),
});
export type IndexManifest = z.infer<typeof manifestSchema>;

/** Files of one build directory. */
export const indexFiles = {
  manifest: 'manifest.json',
  entries: 'entries.json',
  chunks: 'chunks.json',
  vectors: 'vectors.f32',
  graph: 'vectors.hnsw',
  lexical: 'lexical.json',
} as const;

/** Where builds live, and the pointer file naming the one that serves. */
export function indexPaths(dataDir: string) {
  const root = join(dataDir, 'index');
  return { root, builds: join(root, 'builds'), current: join(root, 'CURRENT') };
}

/** A persisted index, loaded and ready to search. */
export interface LoadedIndex {
  manifest: IndexManifest;
  directory: string;
  entries: EntryRecord[];
  entryById: Map<string, EntryRecord>;
  chunks: StoredChunk[];
  /** Row i of the vector table belongs to chunks[i]. */
  vectors: Float32Array;
  vectorIndex: VectorIndex;
  lexicalIndex: LexicalIndex;
}

/** The directory of the serving build, or undefined when nothing was built yet. */
export function currentBuildDirectory(dataDir: string): string | undefined {
  const { current, builds } = indexPaths(dataDir);
  if (!existsSync(current)) return undefined;
  const name = readFileSync(current, 'utf8').trim();
  const directory = join(builds, name);
  return name && existsSync(join(directory, indexFiles.manifest)) ? directory : undefined;
}

/** Reads a build's manifest without loading the rest. */
export function readManifest(directory: string): IndexManifest {
  const parsed = manifestSchema.safeParse(
    JSON.parse(readFileSync(join(directory, indexFiles.manifest), 'utf8')),
  );
  if (!parsed.success) {
    throw new NavigatorError(
      'index_mismatch',
      `${directory}: the index manifest is from another version — run \`navigator index\` to rebuild.`,
    );
  }
  return parsed.data;
}

/** Refuses an index built with another embedder, since its vectors mean nothing to this one. */
export function assertSameEmbedder(
  manifest: IndexManifest,
  embedder: Pick<Embedder, 'id' | 'dimensions'>,
): void {
  if (manifest.embedder.id !== embedder.id || manifest.embedder.dimensions !== embedder.dimensions) {
    throw new NavigatorError(
      'index_mismatch',
      `The index was built with embedder "${manifest.embedder.id}" ` +
        `(${manifest.embedder.dimensions} dimensions) ` +
        `but "${embedder.id}" (${embedder.dimensions} dimensions) is configured — ` +
        'run `navigator index` to rebuild it for this embedder.',
    );
  }
}

/** Loads the serving build; throws index_missing or index_mismatch with a fix. */
export function loadIndex(dataDir: string, embedder: Pick<Embedder, 'id' | 'dimensions'>): LoadedIndex {
  const directory = currentBuildDirectory(dataDir);
  if (!directory)
    throw new NavigatorError('index_missing', `No index in ${dataDir} yet — run \`navigator index\`.`);
  return loadBuild(directory, embedder);
}

/** Loads one build directory. */
export function loadBuild(directory: string, embedder: Pick<Embedder, 'id' | 'dimensions'>): LoadedIndex {
  const manifest = readManifest(directory);
  assertSameEmbedder(manifest, embedder);
  const read = (name: string) => readFileSync(join(directory, name), 'utf8');
  const entries = JSON.parse(read(indexFiles.entries)) as EntryRecord[];
  const chunks = JSON.parse(read(indexFiles.chunks)) as StoredChunk[];
  const vectorBytes = readFileSync(join(directory, indexFiles.vectors));
  const vectors = new Float32Array(
    vectorBytes.buffer.slice(vectorBytes.byteOffset, vectorBytes.byteOffset + vectorBytes.length),
  );
  return {
    manifest,
    directory,
    entries,
    entryById: new Map(entries.map((entry) => [entry.id, entry])),
    chunks,
    vectors,
    vectorIndex: VectorIndex.load(
      join(directory, indexFiles.graph),
      manifest.embedder.dimensions,
      chunks.length,
    ),
    lexicalIndex: LexicalIndex.fromJSON(read(indexFiles.lexical)),
  };
}
