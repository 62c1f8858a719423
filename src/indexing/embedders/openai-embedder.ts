import { Embeddings } from '@langchain/core/embeddings';
import OpenAI from 'openai';
import { NavigatorError } from '../../errors.js';
import type { Embedder } from './embedder.js';

export interface OpenAIEmbedderOptions {
  apiKey?: string;
  baseURL?: string;
  model: string;
  timeoutMs: number;
  /** Output dimensions; text-embedding-3-small gives 1536 unless told otherwise. */
  dimensions?: number;
}

const knownDimensions: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/** Embeddings from any OpenAI-compatible server (OpenAI itself or a self-hosted model). */
export class OpenAIEmbedder extends Embeddings implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly requestedDimensions?: number;

  constructor(options: OpenAIEmbedderOptions) {
    super({});
    this.model = options.model;
    this.requestedDimensions = options.dimensions;
    this.dimensions = options.dimensions ?? knownDimensions[options.model] ?? 1536;
    this.id = `openai:${options.model}:${this.dimensions}`;
    this.client = new OpenAI({
      apiKey: options.apiKey ?? 'not-needed-for-self-hosted',
      baseURL: options.baseURL,
      timeout: options.timeoutMs,
      maxRetries: 2,
    });
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += 96) {
      const batch = texts.slice(start, start + 96);
      try {
        const response = await this.client.embeddings.create({
          model: this.model,
          input: batch,
          ...(this.requestedDimensions ? { dimensions: this.requestedDimensions } : {}),
        });
        for (const item of [...response.data].sort((a, b) => a.index - b.index)) vectors.push(item.embedding);
      } catch (cause) {
        throw new NavigatorError(
          'embedder_unavailable',
          `The embedding server did not answer (${(cause as Error).message}). ` +
            'Check OPENAI_API_KEY / OPENAI_BASE_URL, ' +
            'or unset NAVIGATOR_EMBEDDER to use the offline embedder.',
          { cause },
        );
      }
    }
    const wrong = vectors.find((vector) => vector.length !== this.dimensions);
    if (wrong) {
      throw new NavigatorError(
        'embedder_unavailable',
        `The embedding model returned ${wrong.length} dimensions, expected ${this.dimensions}.`,
      );
    }
    return vectors;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embedDocuments([text]);
    return vector!;
  }
}
