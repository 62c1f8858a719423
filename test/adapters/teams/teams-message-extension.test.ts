import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchCommandId } from '../../../adapters/teams/message-extension.js';
import { manifestDirectory } from '../../../adapters/teams/teams-app-package.js';
import { createNavigator, loadConfig } from '../../../src/index.js';
import { projectRoot } from '../../../src/paths.js';
import { dataDirWithSharedEmbeddings } from '../../support/shared-embeddings.js';
import { adaptiveCard15Schema } from './adaptive-card-schema.js';
import { startFakeBotConnector, type FakeBotConnector } from './support/fake-bot-connector.js';
import { message, personalChat } from './support/teams-activities.js';
import { startTeamsServer, type TeamsTestServer } from './support/teams-test-server.js';

// The search-based message extension: composeExtension/query invokes into the real CloudAdapter.

let connector: FakeBotConnector;
let server: TeamsTestServer;

beforeAll(async () => {
  const config = loadConfig({
    KNOWLEDGE_DIR: join(projectRoot(), 'knowledge'),
    NAVIGATOR_DATA_DIR: dataDirWithSharedEmbeddings(),
  });
  connector = await startFakeBotConnector();
  server = await startTeamsServer(config, await createNavigator(config, { answerModel: null }));
});
afterAll(async () => {
  await server?.close();
  await connector?.close();
});

const query = (commandId: string, text: string) => ({
  ...message(personalChat(connector.serviceUrl, 'a:1compose-box'), ''),
  type: 'invoke',
  name: 'composeExtension/query',
  value: { commandId, parameters: [{ name: 'query', value: text }], queryOptions: { skip: 0, count: 5 } },
});

describe('the Teams message extension', () => {
  it('answers a search with case and toolkit cards to insert, and posts nothing itself', async () => {
    const before = connector.calls.length;
    const response = await server.post(query(searchCommandId, 'proactive family benefits'));
    expect(response.status).toBe(200);
    const { composeExtension } = await response.json();
    expect(composeExtension).toMatchObject({ type: 'result', attachmentLayout: 'list' });
    const attachments = composeExtension.attachments as any[];
    expect(attachments.length).toBeGreaterThan(0);
    expect(attachments.length).toBeLessThanOrEqual(5);
    for (const attachment of attachments) {
      expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(adaptiveCard15Schema.safeParse(attachment.content).error).toBeUndefined();
      expect(attachment.preview.contentType).toBe('application/vnd.microsoft.card.thumbnail');
      expect(attachment.preview.content.text).toMatch(/^(case|toolkit)\b/);
    }
    const titles = attachments.map((attachment) => attachment.preview.content.title as string);
    expect(titles.some((title) => /Estonia/i.test(title))).toBe(true);
    expect(connector.calls.length).toBe(before);
  });

  it('asks for a topic when the box is empty, and refuses a command it does not have', async () => {
    const empty = await (await server.post(query(searchCommandId, '  '))).json();
    expect(empty.composeExtension).toMatchObject({
      type: 'message',
      text: expect.stringMatching(/Type a topic/),
    });
    const unknown = await server.post(query('deleteEverything', 'x'));
    expect(unknown.status).toBe(200);
    expect((await unknown.json()).composeExtension.type).toBe('message');
  });

  it('is declared in the manifest (schema 1.22) with the same command id, within Teams’ field limits', () => {
    const manifest = JSON.parse(readFileSync(join(manifestDirectory(), 'manifest.json'), 'utf8'));
    expect(manifest.manifestVersion).toBe('1.22');
    expect(manifest.$schema).toContain('/v1.22/');
    const [extension] = manifest.composeExtensions;
    expect(extension.botId).toBe(manifest.bots[0].botId);
    const [command] = extension.commands;
    expect(command).toMatchObject({ id: searchCommandId, type: 'query' });
    expect(command.title.length).toBeLessThanOrEqual(32);
    expect(command.description.length).toBeLessThanOrEqual(128);
    for (const parameter of command.parameters) {
      expect(parameter.title.length).toBeLessThanOrEqual(32);
      expect(parameter.description.length).toBeLessThanOrEqual(128);
    }
    for (const starter of manifest.bots[0].commandLists[0].commands) {
      expect(starter.title.length).toBeLessThanOrEqual(32);
      expect(starter.description.length).toBeLessThanOrEqual(128);
    }
  });
});
