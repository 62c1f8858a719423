import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigestSchedule } from '../../../adapters/digest-schedule.js';
import { loadConfig, type Navigator } from '../../../src/index.js';
import { copyFixtureKnowledge, temporaryDataDir, writeEntry } from '../../support/knowledge-copy.js';
import {
  startFakeBotConnector,
  type ConnectorCall,
  type FakeBotConnector,
} from './support/fake-bot-connector.js';
import { channelThread, message, personalChat } from './support/teams-activities.js';
import { startTeamsServer, type TeamsTestServer } from './support/teams-test-server.js';

// "subscribe weekly" to the bot over loopback HTTP (the real CloudAdapter), and the digest posted
// proactively by the server's job worker: a new post in the channel, a new message in a chat.

const notAsked: Navigator = {
  usesLanguageModel: false,
  ask: () => Promise.reject(new Error('a digest command does not ask the Navigator')),
};

let knowledgeDir: string;
let connector: FakeBotConnector;
let server: TeamsTestServer;

beforeAll(async () => {
  knowledgeDir = copyFixtureKnowledge();
  connector = await startFakeBotConnector();
  server = await startTeamsServer(
    loadConfig({ KNOWLEDGE_DIR: knowledgeDir, NAVIGATOR_DATA_DIR: temporaryDataDir() }),
    notAsked,
  );
});
afterAll(async () => {
  await server?.close();
  await connector?.close();
});

/** Makes a subscription due and lets the schedule store its digest, as any replica would. */
async function digestFallsDue(channelKey: string): Promise<number> {
  await server.store.sql.query(
    "UPDATE digest_subscriptions SET next_due_at = now() - interval '1 minute' WHERE channel_key = $1",
    [channelKey],
  );
  return new DigestSchedule(server.store.digestSubscriptions, server.store.jobs, () => {}, {
    everyMs: 60_000,
  }).runOnce();
}

describe('knowledge digests in Teams', () => {
  it('subscribes a channel from a thread and posts its digest as a new post in the channel', async () => {
    const where = channelThread(connector.serviceUrl);
    const command = message(where, 'subscribe weekly', { mention: true });
    expect((await server.post(command)).status).toBe(200);
    const [reply] = (
      await connector.waitFor((calls) => calls.some((call) => call.replyToId === command.id))
    ).filter((call) => call.replyToId === command.id);
    expect(reply!.activity.text).toMatch(/^Subscribed: this conversation gets a weekly digest /);
    expect(reply!.conversationId).toBe(where.conversationId);
    expect(await server.store.digestSubscriptions.get('teams:19:general-channel@thread.tacv2')).toMatchObject(
      {
        period: 'weekly',
      },
    );

    const handbook = join(knowledgeDir, 'toolkits', 'budget-vote-handbook.md');
    writeEntry(
      knowledgeDir,
      'toolkits/budget-vote-handbook.md',
      readFileSync(handbook, 'utf8').replace('voting options', 'voting options and a costing sheet'),
    );
    expect(await digestFallsDue('teams:19:general-channel@thread.tacv2')).toBe(1);
    const [post] = (
      await connector.waitFor((calls) => calls.some((call) => call.createdConversation))
    ).filter((call) => call.createdConversation);
    expect(post!.conversationId).toBe('19:general-channel@thread.tacv2');
    expect(post!.activity.textFormat).toBe('markdown');
    expect(post!.activity.text).toContain('Since you subscribed, 1 entry was added or changed:');
    expect(post!.activity.text).toContain(
      '- **[Handbook for running a budget vote](https://example.org/budget-vote-handbook)** (toolkit, changed):',
    );
  });

  it('posts a personal chat its digest as a new message, and stops after "unsubscribe"', async () => {
    const where = personalChat(connector.serviceUrl);
    const before = connector.delivered().length;
    expect((await server.post(message(where, 'subscribe monthly'))).status).toBe(200);
    await connector.waitFor((calls) => calls.length > before);
    expect(await digestFallsDue(`teams:${where.conversationId}`)).toBe(1);
    const isDigest = (call: ConnectorCall) => call.activity.text?.startsWith('The PSI Navigator library');
    const [digest] = (await connector.waitFor((calls) => calls.slice(before).some(isDigest)))
      .slice(before)
      .filter(isDigest);
    expect(digest!.conversationId).toBe(where.conversationId);
    expect(digest!.replyToId).toBeUndefined();
    expect(digest!.activity.text).toBe(
      'The PSI Navigator library holds 6 entries (3 cases, 1 toolkit, 1 skill, 1 facet). ' +
        'Nothing was added or changed since you subscribed.',
    );

    const unsubscribe = message(where, 'unsubscribe');
    await server.post(unsubscribe);
    const [stopped] = (
      await connector.waitFor((calls) => calls.some((call) => call.activity.text?.startsWith('Unsubscribed')))
    ).filter((call) => call.activity.text?.startsWith('Unsubscribed'));
    expect(stopped).toBeDefined();
    expect(await server.store.digestSubscriptions.get(`teams:${where.conversationId}`)).toBeUndefined();
  });
});
