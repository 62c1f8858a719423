import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Navigator } from '../../../src/index.js';
import { emptyAnswer } from '../../../src/assistant/answer.js';
import { projectRoot } from '../../../src/paths.js';
import { temporaryDataDir } from '../../support/knowledge-copy.js';
import { message, personalChat } from './support/teams-activities.js';
import { startTeamsServer, type TeamsTestServer } from './support/teams-test-server.js';

// Activities the Bot Framework adapter must not see: no serviceUrl (botbuilder would fall back to a
// public host in development mode), or a body over the limit.

let server: TeamsTestServer;
const asked: string[] = [];
const navigator: Navigator = {
  usesLanguageModel: false,
  ask: async (question) => {
    asked.push(question.text);
    return emptyAnswer('answered', 'question', 'hello');
  },
};

beforeAll(async () => {
  const config = loadConfig({
    KNOWLEDGE_DIR: join(projectRoot(), 'knowledge'),
    NAVIGATOR_DATA_DIR: temporaryDataDir(),
  });
  server = await startTeamsServer(config, navigator);
});

afterAll(async () => {
  await server?.close();
});

describe('Teams intake', () => {
  it('refuses an activity without a serviceUrl with a 400, before botbuilder sees it', async () => {
    const { serviceUrl: _dropped, ...activity } = message(personalChat('http://127.0.0.1:9/'), 'hello');
    const response = await server.post(activity);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'the activity has no serviceUrl' });
    expect(asked).toEqual([]);
  });

  it('answers 413 to a body over the limit', async () => {
    const activity = message(personalChat('http://127.0.0.1:9/'), 'x'.repeat(2_000_000));
    expect((await server.post(activity)).status).toBe(413);
  });
});
