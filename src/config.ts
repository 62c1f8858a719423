import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { NavigatorError } from './errors.js';
import { projectRoot } from './paths.js';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

const environmentSchema = z.object({
  KNOWLEDGE_DIR: optionalString,
  NAVIGATOR_DATA_DIR: optionalString,
  NAVIGATOR_EMBEDDER: z.preprocess(
    emptyToUndefined,
    z.enum(['glove', 'openai'], { message: 'must be "glove" (offline, default) or "openai"' }).optional(),
  ),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: z.preprocess(
    emptyToUndefined,
    z.url({ message: 'must be a URL such as https://api.openai.com/v1 or http://localhost:8000/v1' }).optional(),
  ),
  OPENAI_MODEL: optionalString,
  OPENAI_EMBEDDING_MODEL: optionalString,
  OPENAI_TIMEOUT_MS: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(100).max(120_000).optional(),
  ),
  SEARCH_EF: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'must be a whole number' }).int().min(10).max(2000).optional(),
  ),
  NAVIGATOR_LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['debug', 'info', 'warn', 'error', 'silent'], { message: 'must be debug, info, warn, error or silent' }).optional(),
  ),
});

export interface Config {
  knowledgeDir: string;
  dataDir: string;
  embedder: 'glove' | 'openai';
  openai: {
    apiKey?: string;
    baseURL?: string;
    model: string;
    embeddingModel: string;
    timeoutMs: number;
  };
  /** HNSW search depth; the library default (10) loses a quarter of the true neighbours. */
  searchEf: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

/** Reads and validates the environment once; reports every bad variable in one error. */
export function loadConfig(environment: Record<string, string | undefined> = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${String(issue.path[0])}: ${issue.message}`);
    throw new NavigatorError(
      'config_invalid',
      `The environment has ${lines.length} invalid variable(s):\n${lines.join('\n')}\nFix them in your shell or .env (see .env.example).`,
    );
  }
  const values = parsed.data;
  const root = projectRoot();
  // Defaults live in the project; a path the user typed is relative to where they typed it.
  const fromUser = (path: string) => (isAbsolute(path) ? path : resolve(process.cwd(), path));
  const embedder = values.NAVIGATOR_EMBEDDER ?? 'glove';
  if (embedder === 'openai' && !values.OPENAI_API_KEY && !values.OPENAI_BASE_URL) {
    throw new NavigatorError(
      'config_invalid',
      'The environment has 1 invalid variable(s):\n  NAVIGATOR_EMBEDDER: "openai" needs OPENAI_API_KEY (or OPENAI_BASE_URL for a self-hosted server); set one, or unset NAVIGATOR_EMBEDDER to use the offline embedder.',
    );
  }
  return {
    knowledgeDir: values.KNOWLEDGE_DIR ? fromUser(values.KNOWLEDGE_DIR) : resolve(root, 'knowledge'),
    dataDir: values.NAVIGATOR_DATA_DIR ? fromUser(values.NAVIGATOR_DATA_DIR) : resolve(root, '.navigator'),
    embedder,
    openai: {
      apiKey: values.OPENAI_API_KEY,
      baseURL: values.OPENAI_BASE_URL,
      model: values.OPENAI_MODEL ?? 'gpt-4o-mini',
      embeddingModel: values.OPENAI_EMBEDDING_MODEL ?? 'text-embedding-3-small',
      timeoutMs: values.OPENAI_TIMEOUT_MS ?? 8_000,
    },
    searchEf: values.SEARCH_EF ?? 200,
    logLevel: values.NAVIGATOR_LOG_LEVEL ?? 'info',
  };
}
