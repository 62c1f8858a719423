import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNavigator, loadConfig, type Navigator, type Question } from '../../../src/index.js';
import { projectRoot } from '../../../src/paths.js';
import { dataDirWithSharedEmbeddings } from '../../support/shared-embeddings.js';
import { adaptiveCard15Schema } from './adaptive-card-schema.js';
import {
  startFakeBotConnector,
  type ConnectorCall,
  type FakeBotConnector,
} from './support/fake-bot-connector.js';
import { channelThread, feedbackInvoke, message, personalChat } from './support/teams-activities.js';
import { startTeamsServer, type TeamsTestServer } from './support/teams-test-server.js';

// "Ask a curator" through the real CloudAdapter, with the fake Bot Framework connector.

const curatorChannel = '19:curators@thread.tacv2';
let dataDir: string;
let navigator: Navigator;
let connector: FakeBotConnector;
let server: TeamsTestServer;
const asked: Question[] = [];

const environment = (extra: Record<string, string> = {}) =>
  loadConfig({ KNOWLEDGE_DIR: join(projectRoot(), 'knowledge'), NAVIGATOR_DATA_DIR: dataDir, ...extra });

beforeAll(async () => {
  dataDir = dataDirWithSharedEmbeddings();
  const real = await createNavigator(environment(), { answerModel: null });
  navigator = {
    usesLanguageModel: real.usesLanguageModel,
    ask: (question) => {
      asked.push(question);
      return real.ask(question);
    },
  };
  connector = await startFakeBotConnector();
  server = await startTeamsServer(
    environment({
      NAVIGATOR_CURATOR_CHANNEL_TEAMS: curatorChannel,
      // Six seconds: long enough that the test's two comments fall in one period.
      NAVIGATOR_CURATOR_FEEDBACK_MINUTES: '0.1',
    }),
    navigator,
  );
});

afterAll(async () => {
  await server?.close();
  await connector?.close();
});

const messagesTo = (conversationId: string) =>
  connector
    .delivered()
    .filter((call) => call.activity.type === 'message' && call.conversationId === conversationId);
const curatorAction = (call: ConnectorCall) =>
  (call.activity.attachments ?? [])
    .flatMap((attachment: any) => attachment.content?.actions ?? [])
    .find((action: any) => action.verb === 'navigator.askCurator');

/** The answer to a question just asked: Teams answers come from the job queue, after the 200. */
async function answerIn(conversationId: string, before: number): Promise<ConnectorCall> {
  await connector.waitFor(() => messagesTo(conversationId).length > before, 30_000);
  return messagesTo(conversationId).at(-1)!;
}

async function settled(): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const counts = await server.store.jobs.counts();
    if (counts.queued === 0 && counts.running === 0) return;
    if (Date.now() > deadline) throw new Error(`jobs did not settle: ${JSON.stringify(counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Ask a curator in Teams', () => {
  it(
    'posts the question and answer to the curator channel once, keeps an open hand-off, and relays ' +
      "a curator's mention in that thread to the asker once, without the AI label",
    async () => {
      const where = channelThread(connector.serviceUrl, '1700000000777');
      const question = 'Who has made benefits proactive?';
      expect((await server.post(message(where, question, { mention: true }))).status).toBe(200);
      const answer = await answerIn(where.conversationId, 0);
      const action = curatorAction(answer);
      expect(action).toMatchObject({
        type: 'Action.Execute',
        title: expect.stringContaining('Ask a curator'),
      });
      expect(adaptiveCard15Schema.safeParse(answer.activity.attachments[0].content).error).toBeUndefined();

      const invoke = {
        ...message(where, ''),
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId: answer.id,
        value: {
          action: { type: 'Action.Execute', verb: action.verb, data: action.data },
          trigger: 'manual',
        },
      };
      const first = await server.post(invoke);
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: expect.stringMatching(/went to a curator/),
      });
      // Pressed again (or delivered again): no second post.
      expect((await server.post({ ...invoke, id: `${invoke.id}-again` })).status).toBe(200);

      // Posted by a job after the invoke was answered.
      await connector.waitFor(() => messagesTo(curatorChannel).length > 0, 20_000);
      await settled();
      const posts = messagesTo(curatorChannel);
      expect(posts).toHaveLength(1);
      const shown = JSON.stringify(posts[0]!.activity);
      expect(shown).toContain(question);
      expect(shown).toContain('Social Insurance Board');
      const curatorThread = `${curatorChannel};messageid=${posts[0]!.id}`;
      expect(await server.store.handOffs.findByCuratorConversation(`teams:${curatorThread}`)).toMatchObject({
        channel: 'teams',
        sourceConversation: `teams:${where.conversationId}`,
        status: 'open',
        payload: { question },
      });

      const reply = message(
        { serviceUrl: connector.serviceUrl, conversationType: 'channel', conversationId: curatorThread },
        'We know the Tallinn team; I will introduce you.',
        { mention: true },
      );
      const askedBefore = asked.length;
      expect((await server.post(reply)).status).toBe(200);
      expect((await server.post(reply)).status).toBe(200); // Teams delivering it again
      // Relayed by a job after the 200.
      await connector.waitFor(
        () =>
          messagesTo(where.conversationId).some((call) => /^From a curator/.test(call.activity.text ?? '')),
        20_000,
      );
      await settled();
      const relayed = messagesTo(where.conversationId).filter((call) =>
        /curator/.test(call.activity.text ?? ''),
      );
      expect(relayed).toHaveLength(1);
      expect(relayed[0]!.activity.text).toBe(
        'From a curator (a person, not the AI): We know the Tallinn team; I will introduce you.',
      );
      expect(relayed[0]!.activity.entities ?? []).toEqual([]); // no "AI generated" label
      expect(asked.length).toBe(askedBefore); // the Navigator did not answer the curator
      expect(messagesTo(curatorThread).map((call) => call.activity.text)).toEqual([
        'Sent to the asker, marked as from a curator.',
      ]);
      expect((await server.store.handOffs.findByCuratorConversation(`teams:${curatorThread}`))?.status).toBe(
        'answered',
      );
    },
  );

  it('shows no "Ask a curator" button without NAVIGATOR_CURATOR_CHANNEL_TEAMS', async () => {
    // Its own store: the other server's worker must not answer this server's questions.
    const plain = await startTeamsServer(
      environment({ NAVIGATOR_DATA_DIR: dataDirWithSharedEmbeddings() }),
      navigator,
    );
    try {
      const where = personalChat(connector.serviceUrl, 'a:1no-curators');
      await plain.post(message(where, 'Who has made benefits proactive?'));
      await answerIn(where.conversationId, 0);
      const answers = messagesTo(where.conversationId);
      expect(answers.length).toBeGreaterThan(0);
      expect(answers.map(curatorAction).filter(Boolean)).toEqual([]);
      expect(JSON.stringify(answers.map((call) => call.activity))).not.toContain('navigator.askCurator');
    } finally {
      await plain.close();
    }
  });

  it('notifies the curator channel of 👎 comments in one batched post', async () => {
    const where = personalChat(connector.serviceUrl, 'a:1comments');
    const before = messagesTo(curatorChannel).length;
    await server.post(message(where, 'zqxv wvkt plomb'));
    const reply = await answerIn(where.conversationId, 0);
    expect(curatorAction(reply)).toBeDefined(); // a text answer gets the button on a small card
    for (const [reaction, text] of [
      ['dislike', 'It should have asked which one I meant.'],
      ['like', 'Nice.'],
      ['dislike', 'No case from my country.'],
    ] as const)
      expect((await server.post(feedbackInvoke(where, reply.id!, reaction, text))).status).toBe(200);

    await connector.waitFor(() => messagesTo(curatorChannel).length > before, 30_000);
    await settled();
    const notices = messagesTo(curatorChannel).slice(before);
    expect(notices).toHaveLength(1);
    const text = notices[0]!.activity.text as string;
    expect(text).toContain('2 answer(s) were marked not helpful');
    expect(text).toContain('It should have asked which one I meant.');
    expect(text).toContain('No case from my country.');
    expect(text).not.toContain('Nice.');
  });
});
