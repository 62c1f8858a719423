import type { Config } from '../config.js';
import { isNavigatorError, NavigatorError } from '../errors.js';
import { buildIndex, knowledgeHashOf } from '../indexing/build-index.js';
import { createEmbedder } from '../indexing/embedders/create-embedder.js';
import type { Embedder } from '../indexing/embedders/embedder.js';
import { loadBuild, loadIndex, type LoadedIndex } from '../indexing/index-store.js';
import { describeSkippedFiles, loadKnowledge, type LoadedKnowledge } from '../knowledge/load-knowledge.js';
import { Retriever, type FusionParameters } from './hybrid-search.js';

export interface OpenRetrieverOptions {
  /** Messages for people (index built, files skipped); stderr in the CLI. */
  log?: (message: string) => void;
  onProgress?: (done: number, total: number) => void;
  embedder?: Embedder;
  fusion?: Partial<FusionParameters>;
}

export interface OpenedRetriever {
  retriever: Retriever;
  knowledge: LoadedKnowledge;
  index: LoadedIndex;
  embedder: Embedder;
}

/**
 * Loads the knowledge base and its index, building or refreshing the index when it is missing,
 * stale or made by another embedder. A failed rebuild leaves the previous index serving.
 */
export async function openRetriever(
  config: Config,
  options: OpenRetrieverOptions = {},
): Promise<OpenedRetriever> {
  const log = options.log ?? (() => {});
  const knowledge = await loadKnowledge(config.knowledgeDir);
  const skipped = describeSkippedFiles(knowledge);
  if (skipped) log(skipped);
  const embedder = options.embedder ?? createEmbedder(config, log);
  const index = await freshIndex(config.dataDir, knowledge, embedder, log, options.onProgress);
  return {
    retriever: new Retriever(index, embedder, knowledge.vocabulary, {
      ef: config.searchEf,
      ...options.fusion,
    }),
    knowledge,
    index,
    embedder,
  };
}

async function freshIndex(
  dataDir: string,
  knowledge: LoadedKnowledge,
  embedder: Embedder,
  log: (message: string) => void,
  onProgress?: (done: number, total: number) => void,
): Promise<LoadedIndex> {
  let existing: LoadedIndex | undefined;
  try {
    existing = loadIndex(dataDir, embedder);
    if (existing.manifest.knowledgeHash === knowledgeHashOf(knowledge)) return existing;
    log('The knowledge base changed since the index was built; updating the index…');
  } catch (error) {
    if (isNavigatorError(error, 'index_missing')) log('No index yet; building it (first run only)…');
    else if (isNavigatorError(error, 'index_mismatch'))
      log(`${error.message.split(' — ')[0]}; rebuilding it…`);
    else throw error;
  }
  try {
    const report = await buildIndex({ dataDir, knowledge, embedder, onProgress });
    const { counts } = report.manifest;
    log(
      `Index ready: ${counts.entries} entries, ${counts.chunks} passages ` +
        `(${counts.embedded} embedded, ${counts.reused} reused).`,
    );
    return loadBuild(report.directory, embedder);
  } catch (error) {
    if (existing) {
      log(`${(error as Error).message} Serving the previous index.`);
      return existing;
    }
    throw error instanceof NavigatorError
      ? error
      : new NavigatorError('index_build_failed', (error as Error).message, { cause: error });
  }
}
