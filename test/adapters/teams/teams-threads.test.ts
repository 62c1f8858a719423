import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNavigator,
  loadConfig,
  type Answer,
  type Navigator,
  type Question,
} from '../../../src/index.js';
import { projectRoot } from '../../../src/paths.js';
import { dataDirWithSharedEmbeddings } from '../../support/shared-embeddings.js';
import { startFakeBotConnector, type FakeBotConnector } from './support/fake-bot-connector.js';
import { channelThread, message } from './support/teams-activities.js';
import { startTeamsServer, type TeamsTestServer } from './support/teams-test-server.js';

// Teams channel threads over loopback HTTP through the real CloudAdapter. Teams delivers channel
// messages only when they mention the bot; every message of a reply chain carries the chain in its
// conversation id ("19:…@thread.tacv2;messageid=<root>"), while replyToId is not always sent. That id
// is the core's conversation, so a mention replying in the thread continues the earlier question.

let connector: FakeBotConnector;
let server: TeamsTestServer;
const asked: { question: Question; answer: Answer }[] = [];

function recording(navigator: Navigator): Navigator {
  return {
    usesLanguageModel: navigator.usesLanguageModel,
    async ask(question) {
      const answer = await navigator.ask(question);
      asked.push({ question, answer });
      return answer;
    },
  };
}

beforeAll(async () => {
  const dataDir = dataDirWithSharedEmbeddings();
  const config = loadConfig({ KNOWLEDGE_DIR: join(projectRoot(), 'knowledge'), NAVIGATOR_DATA_DIR: dataDir });
  const navigator = await createNavigator(config, { answerModel: null });
  connector = await startFakeBotConnector();
  server = await startTeamsServer(config, recording(navigator));
});

afterAll(async () => {
  await server?.close();
  await connector?.close();
});

/** A new channel post mentioning the bot: its id is the root of the reply chain it starts. */
function channelPost(rootId: string, text: string) {
  return { ...message(channelThread(connector.serviceUrl, rootId), text, { mention: true }), id: rootId };
}

/** A reply in that chain mentioning the bot; Teams may leave out replyToId. */
function threadReply(rootId: string, text: string, options: { replyToId?: boolean } = {}) {
  return {
    ...message(channelThread(connector.serviceUrl, rootId), text, { mention: true }),
    ...(options.replyToId === false ? {} : { replyToId: rootId }),
  };
}

/**
 * Posts an activity and waits for its answer: answers are worked from the job queue after the
 * 200, and a person replies in a thread only once the earlier answer is there.
 */
async function ask(activity: object): Promise<void> {
  const answered = asked.length;
  const sent = answerMessages().length;
  expect((await server.post(activity)).status).toBe(200);
  await connector.waitFor(() => asked.length > answered && answerMessages().length > sent, 40_000);
}

function answerMessages() {
  return connector.delivered().filter((call) => call.activity.type === 'message');
}

describe('Teams channel threads', () => {
  it('continues the conversation when the bot is mentioned in a reply in a thread it answered', async () => {
    const rootId = '1700000100001';
    const start = asked.length;
    const delivered = connector.delivered().length;
    await ask(channelPost(rootId, 'Has anyone made child benefits proactive?'));
    await ask(threadReply(rootId, 'only local government'));
    await ask(threadReply(rootId, 'and in Estonia?', { replyToId: false }));

    const [first, second, third] = asked.slice(start);
    const thread = `teams:19:general-channel@thread.tacv2;messageid=${rootId}`;
    expect([first, second, third].map((turn) => turn!.question.conversationId)).toEqual([
      thread,
      thread,
      thread,
    ]);
    expect(second!.question.text).toBe('only local government');
    // Narrowed: the earlier question with the new filter, not a bare "only local government".
    expect(second!.answer.text).toContain('local government');
    expect(second!.answer.peerCases.map((peer) => peer.title)).toContain(
      'Proactive family benefits in Estonia',
    );
    expect(third!.answer.peerCases.map((peer) => peer.title)).toContain(
      'Proactive family benefits in Estonia',
    );
    // Each answer went into the thread.
    const replies = connector
      .delivered()
      .slice(delivered)
      .filter((call) => call.activity.type === 'message');
    expect(replies).toHaveLength(3);
    for (const reply of replies)
      expect(reply.conversationId).toBe(`19:general-channel@thread.tacv2;messageid=${rootId}`);
  });

  it('keeps another thread of the same channel a conversation of its own', async () => {
    const start = asked.length;
    await ask(channelPost('1700000200001', 'Has anyone made child benefits proactive?'));
    await ask(threadReply('1700000300001', 'only local government'));
    const [first, other] = asked.slice(start);
    expect(other!.question.conversationId).not.toBe(first!.question.conversationId);
    expect(other!.answer.peerCases.map((peer) => peer.title)).not.toContain(
      'Proactive family benefits in Estonia',
    );
  });
});
