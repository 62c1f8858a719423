import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Navigator } from '../../../src/index.js';
import { startFakeSlackApi, type FakeSlackApi } from './support/fake-slack-api.js';
import {
  startFakeSocketMode,
  type FakeSocketMode,
  type SocketModeConnection,
} from './support/fake-socket-mode.js';
import { appMention, directMessage, eventEnvelope, team } from './support/slack-requests.js';
import {
  preparedDataDir,
  realNavigator,
  startSlackTestServer,
  type SlackTestServer,
} from './support/slack-test-server.js';
import { until } from '../../support/wait-until.js';

// Socket Mode, for deployments without a public address: the real Bolt app and @slack/socket-mode
// client (undici's WebSocket) against a loopback endpoint speaking Slack's protocol. The Web API
// fake answers apps.connections.open with that endpoint's ws:// URL.

const appToken = 'xapp-1-A0NAVIGATOR-1-test';

let navigator: Navigator;
let fake: FakeSlackApi;
let socketMode: FakeSocketMode;
let slack: SlackTestServer;

beforeAll(async () => {
  const dataDir = preparedDataDir();
  navigator = await realNavigator(dataDir);
  fake = await startFakeSlackApi();
  socketMode = await startFakeSocketMode();
  fake.openSocketModeWith(() => socketMode.nextUrl());
  // Resolves once the client has had its `hello`.
  slack = await startSlackTestServer(navigator, fake, dataDir, { appToken });
});

afterAll(async () => {
  await slack?.close();
  await socketMode?.close();
  await fake?.close();
});

const envelopeBody = (event: Record<string, unknown>) =>
  JSON.parse(eventEnvelope(event)) as Record<string, unknown>;
const postsIn = (threadTs: string) =>
  fake.delivered('chat.postMessage').filter((call) => call.args.thread_ts === threadTs);
const acksOf = (connection: SocketModeConnection, envelopeId: string) =>
  connection.acks.filter((ack) => ack.envelope_id === envelopeId);

/** Waits until no job is queued or running. */
async function settled() {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const counts = await slack.store.jobs.counts();
    if (counts.queued === 0 && counts.running === 0) return;
    if (Date.now() > deadline) throw new Error('Timed out waiting for the queue to drain');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Asks `text` as a mention on `connection` and waits for its acknowledgement and its one answer. */
async function askAndExpectOneAnswer(connection: SocketModeConnection, text: string) {
  const mention = appMention(text);
  const envelopeId = connection.sendEventsApi(envelopeBody(mention));
  await until('the acknowledgement', () => acksOf(connection, envelopeId).length > 0);
  await until('the answer', () => postsIn(mention.ts).length > 0);
  await settled();
  expect(acksOf(connection, envelopeId)).toHaveLength(1);
  expect(postsIn(mention.ts)).toHaveLength(1);
  expect(postsIn(mention.ts)[0]!.args.blocks).toBeDefined();
}

describe('Slack over Socket Mode (a loopback Socket Mode endpoint)', () => {
  it('opens the connection with the app-level token through SLACK_API_URL', async () => {
    const opens = fake.callsTo('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]!.authorization).toBe(`Bearer ${appToken}`);
    expect((await socketMode.connection(1)).ticket).toBe('1');
    expect(slack.logs.some((entry) => entry.message === 'slack: connected over Socket Mode')).toBe(true);
  });

  it('acknowledges each envelope by its envelope_id; each question, retried too, answered once', async () => {
    const connection = await socketMode.connection(1);
    const mention = appMention('Who has run participatory budgeting?');
    const body = envelopeBody(mention);
    const original = connection.sendEventsApi(body);
    // Slack sends an envelope again (same event_id) when it was not acknowledged in time.
    const retried = connection.sendEventsApi(body, { attempt: 1, reason: 'timeout' });
    const message = directMessage('Who has made benefits proactive?');
    const direct = connection.sendEventsApi(envelopeBody(message));
    for (const envelopeId of [original, retried, direct])
      await until(`the acknowledgement of ${envelopeId}`, () => acksOf(connection, envelopeId).length > 0);
    await until('both answers', () => postsIn(mention.ts).length > 0 && postsIn(message.ts).length > 0);
    await settled();
    for (const envelopeId of [original, retried, direct])
      expect(acksOf(connection, envelopeId)).toEqual([{ envelope_id: envelopeId, payload: {} }]);
    expect(postsIn(mention.ts)).toHaveLength(1);
    expect(postsIn(message.ts)).toHaveLength(1);
  });

  it('acknowledges a question only once it is stored as a job', async () => {
    const connection = await socketMode.connection(1);
    // The embedded store runs one transaction at a time: while this one is open nothing can be stored.
    let release!: () => void;
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const transaction = slack.store.sql.transaction(async () => {
      holding();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await held;
    const mention = appMention('Who has used behavioural insights for tax letters?');
    const question = connection.sendEventsApi(envelopeBody(mention));
    try {
      // An event no listener stores anything for, sent after the question: it is acknowledged at once.
      const unrelated = connection.sendEventsApi({
        ...envelopeBody(mention),
        event_id: 'EvUNRELATED1',
        event: { type: 'reaction_added', user: 'U0ALICE', reaction: 'eyes', item: { type: 'message' }, team },
      });
      await until('the unrelated acknowledgement', () => acksOf(connection, unrelated).length > 0);
      expect(acksOf(connection, question)).toEqual([]);
    } finally {
      release();
      await transaction;
    }
    await until('the question’s acknowledgement', () => acksOf(connection, question).length > 0);
    await until('the answer', () => postsIn(mention.ts).length > 0);
    await settled();
    expect(postsIn(mention.ts)).toHaveLength(1);
  });

  it('reconnects after a disconnect (refresh_requested, then warning) and keeps answering', async () => {
    const first = await socketMode.connection(1);
    first.sendDisconnect('refresh_requested');
    await first.closed;
    const second = await socketMode.connection(2);
    expect(second.ticket).toBe('2');
    expect(fake.callsTo('apps.connections.open')).toHaveLength(2);
    await askAndExpectOneAnswer(second, 'Who has run participatory budgeting?');

    second.sendDisconnect('warning');
    await second.closed;
    const third = await socketMode.connection(3);
    expect(third.ticket).toBe('3');
    expect(fake.callsTo('apps.connections.open')).toHaveLength(3);
    await askAndExpectOneAnswer(third, 'Who has made benefits proactive?');
  });
});
