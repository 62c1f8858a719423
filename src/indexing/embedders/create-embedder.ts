import { join } from 'node:path';
import type { Config } from '../../config.js';
import type { Embedder } from './embedder.js';
import { GloveEmbedder } from './glove-embedder.js';
import { OpenAIEmbedder } from './openai-embedder.js';

/** The embedder the configuration asks for: offline GloVe by default, OpenAI-compatible on request. */
export function createEmbedder(config: Config, log?: (message: string) => void): Embedder {
  if (config.embedder === 'openai') {
    return new OpenAIEmbedder({ ...config.openai, model: config.openai.embeddingModel });
  }
  return new GloveEmbedder({ cacheDir: join(config.dataDir, 'embeddings'), log });
}
