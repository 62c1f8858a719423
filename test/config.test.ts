import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { isNavigatorError } from '../src/errors.js';
import { projectRoot } from '../src/paths.js';

describe('loadConfig', () => {
  it('defaults to the project knowledge and data directories and the offline embedder', () => {
    const config = loadConfig({});
    expect(config.knowledgeDir).toBe(join(projectRoot(), 'knowledge'));
    expect(config.dataDir).toBe(join(projectRoot(), '.navigator'));
    expect(config.embedder).toBe('glove');
    expect(config.searchEf).toBeGreaterThanOrEqual(50);
  });

  it('honours KNOWLEDGE_DIR and NAVIGATOR_DATA_DIR', () => {
    const config = loadConfig({ KNOWLEDGE_DIR: '/srv/kb', NAVIGATOR_DATA_DIR: '/var/lib/navigator' });
    expect(config.knowledgeDir).toBe('/srv/kb');
    expect(config.dataDir).toBe('/var/lib/navigator');
  });

  it('reports every invalid variable at once, naming each', () => {
    let error: unknown;
    try {
      loadConfig({ NAVIGATOR_EMBEDDER: 'bert', OPENAI_BASE_URL: 'not a url', SEARCH_EF: 'deep', OPENAI_API_KEY: 'sk-secret-value' });
    } catch (caught) {
      error = caught;
    }
    expect(isNavigatorError(error, 'config_invalid')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('NAVIGATOR_EMBEDDER: must be "glove"');
    expect(message).toContain('OPENAI_BASE_URL: must be a URL');
    expect(message).toContain('SEARCH_EF: must be a whole number');
    expect(message).not.toContain('sk-secret-value');
  });

  it('asks for a key or base URL when the OpenAI embedder is chosen without one', () => {
    expect(() => loadConfig({ NAVIGATOR_EMBEDDER: 'openai' })).toThrow(/OPENAI_API_KEY/);
  });
});
