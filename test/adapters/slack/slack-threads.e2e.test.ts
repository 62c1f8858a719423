import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, Navigator, Question } from '../../../src/index.js';
import { createTestDatabase, postgresAvailable } from '../../store/support/test-databases.js';
import { startFakeSlackApi, type FakeSlackApi } from './support/fake-slack-api.js';
import { appMention, botUserId, eventEnvelope, nextTs, team } from './support/slack-requests.js';
import {
  preparedDataDir,
  realNavigator,
  startSlackTestServer,
  wrapNavigator,
  type SlackTestServer,
} from './support/slack-test-server.js';

// Threads in Slack channels: a mention replying under a colleague's message is answered with that
// message, and (opt-in) a follow-up without a mention in a thread the Navigator answered is answered.

const channel = 'C0PUBLIC';
const colleaguesQuestion = "Has anyone made child benefits proactive? We're drowning in applications";

let dataDir: string;
let inner: Navigator;
let fake: FakeSlackApi;
let slack: SlackTestServer | undefined;
/** What reached the core, and what it answered. */
let asked: { question: Question; answer: Answer }[];

beforeAll(async () => {
  dataDir = preparedDataDir();
  inner = await realNavigator(dataDir);
});
afterEach(async () => {
  await slack?.close();
  slack = undefined;
  await fake.close();
});

async function start(environment: Record<string, string> = {}): Promise<SlackTestServer> {
  asked = [];
  fake = await startFakeSlackApi();
  slack = await startSlackTestServer(spy(), fake, dataDir, { environment });
  return slack;
}

/** The real Navigator, recording what reached it. */
const spy = () =>
  wrapNavigator(inner, (answer, question) => {
    asked.push({ question, answer });
    return answer;
  });

/** A person's message in a channel thread, as message.channels delivers it. */
function threadReply(text: string, threadTs: string, ts = nextTs(), user = 'U0BOB') {
  return { type: 'message', channel_type: 'channel', user, text, ts, thread_ts: threadTs, channel, team };
}

/** How many questions were stored as jobs: an ignored message stores none before its 200. */
async function storedQuestions(server: SlackTestServer): Promise<number> {
  const counts = await server.store.jobs.counts();
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

const available = await postgresAvailable();

const retryHeaders = { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' };

describe('Slack threads', () => {
  it(
    "answers a mention in a thread reply with the thread's opening message and replies as context, " +
      'once, although it arrives as app_mention and as a message',
    async () => {
      const server = await start();
      const root = nextTs();
      const aside = nextTs();
      const mentionTs = nextTs();
      fake.seedThread(channel, [
        { ts: root, user: 'U0CAROL', text: colleaguesQuestion },
        { ts: aside, user: 'U0DAVE', text: 'Same here, <@U0CAROL>: our queue is weeks long' },
        { ts: mentionTs, user: 'U0ALICE', text: `<@${botUserId}> can you help?`, thread_ts: root },
      ]);
      const mention = appMention('can you help?', channel, mentionTs, root);
      const responses = [
        await server.send(eventEnvelope(mention)),
        await server.send(eventEnvelope({ ...threadReply(mention.text, root, mentionTs, 'U0ALICE') })),
      ];
      expect(responses.map((response) => response.status)).toEqual([200, 200]);
      await fake.waitFor('the answer', () => fake.delivered('chat.postMessage')[0]);
      await server.close();

      expect(asked).toHaveLength(1);
      const { question, answer } = asked[0]!;
      expect(question.text).toBe(
        `${colleaguesQuestion}\nSame here, @someone: our queue is weeks long\n\ncan you help?`,
      );
      expect(question.conversationId).toBe(`slack:${channel}:${root}`);
      // The colleague's question was answered, not "can you help?" (which gets the help text).
      expect(answer.intent).not.toBe('help');
      expect(answer.peerCases.map((peer) => peer.title)).toContain('Proactive family benefits in Estonia');
      const posts = fake.delivered('chat.postMessage');
      expect(posts).toHaveLength(1);
      expect(posts[0]!.args).toMatchObject({ channel, thread_ts: root });
      expect(fake.callsTo('conversations.replies').map((call) => call.args)).toEqual([
        expect.objectContaining({ channel, ts: root, latest: mentionTs }),
      ]);
    },
  );

  it('without channels:history answers the bare mention and says why in the log once', async () => {
    const server = await start();
    fake.refuse('conversations.replies', 'missing_scope', {
      needed: 'channels:history',
      provided: 'app_mentions:read,chat:write',
    });
    for (const text of ['can you help?', 'who has done this before?']) {
      const root = nextTs();
      fake.seedThread(channel, [{ ts: root, user: 'U0CAROL', text: colleaguesQuestion }]);
      expect((await server.send(eventEnvelope(appMention(text, channel, nextTs(), root)))).status).toBe(200);
    }
    await fake.waitFor('both answers', () => fake.delivered('chat.postMessage').length === 2);
    await server.close();

    expect(asked.map(({ question }) => question.text).sort()).toEqual([
      'can you help?',
      'who has done this before?',
    ]);
    expect(fake.callsTo('conversations.replies')).toHaveLength(2);
    // Once per process above debug (the Web API client traces each response at debug).
    const notes = server.logs.filter(
      (entry) => entry.level !== 'debug' && /missing_scope/.test(entry.message),
    );
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ level: 'warn' });
    expect(notes[0]!.message).toContain('needs channels:history');
  });

  it(
    'with NAVIGATOR_SLACK_THREAD_FOLLOW_UPS, answers a follow-up without a mention in a thread it ' +
      'answered once (also when Slack retries it), in the same conversation; ignores the rest',
    async () => {
      const server = await start({ NAVIGATOR_SLACK_THREAD_FOLLOW_UPS: 'true' });
      const root = nextTs();
      await server.send(eventEnvelope(appMention(colleaguesQuestion, channel, root)));
      await fake.waitFor('the first answer', () => fake.delivered('chat.postMessage')[0]);

      const followUp = eventEnvelope(threadReply('only local government', root), 'Ev0FOLLOWUP1');
      const first = await server.send(followUp);
      const retry = await server.send(followUp, 'application/json', retryHeaders);
      expect([first.status, retry.status]).toEqual([200, 200]);
      expect(await storedQuestions(server)).toBe(2);

      // Not questions: a bot, an edit, a message to a colleague, a thread the Navigator never answered.
      const ignored = [
        { ...threadReply('an update from a workflow', root), bot_id: 'B0OTHER', subtype: 'bot_message' },
        {
          type: 'message',
          subtype: 'message_changed',
          channel,
          ts: nextTs(),
          message: { ...threadReply('only local government, please', root) },
        },
        threadReply('<@U0CAROL> what do you think?', root),
        threadReply('only local government', nextTs()),
      ];
      for (const event of ignored) expect((await server.send(eventEnvelope(event))).status).toBe(200);
      expect(await storedQuestions(server)).toBe(2);

      await fake.waitFor('the follow-up answer', () => fake.delivered('chat.postMessage')[1]);
      await server.close();
      expect(fake.delivered('chat.postMessage')).toHaveLength(2);
      expect(fake.delivered('chat.postMessage')[1]!.args).toMatchObject({ channel, thread_ts: root });
      expect(asked.map(({ question }) => question.text)).toEqual([
        colleaguesQuestion,
        'only local government',
      ]);
      expect(asked[1]!.question.conversationId).toBe(asked[0]!.question.conversationId);
      // The follow-up narrowed the earlier question rather than starting a new one.
      expect(asked[1]!.answer.text).toContain('local government');
      expect(asked[1]!.answer.peerCases.length).toBeGreaterThan(0);
    },
  );

  it('without the variable, a message without a mention in an answered thread is left alone', async () => {
    const server = await start();
    const root = nextTs();
    await server.send(eventEnvelope(appMention(colleaguesQuestion, channel, root)));
    expect(await storedQuestions(server)).toBe(1);
    const response = await server.send(eventEnvelope(threadReply('only local government', root)));
    expect(response.status).toBe(200);
    expect(await storedQuestions(server)).toBe(1);
    await fake.waitFor('the answer', () => fake.delivered('chat.postMessage')[0]);
    await server.close();
    expect(asked.map(({ question }) => question.text)).toEqual([colleaguesQuestion]);
  });

  it.skipIf(!available)(
    'knows an answered thread on every replica: a follow-up to the other replica, and its retry ' +
      'to the first, is answered once',
    async () => {
      const database = await createTestDatabase();
      const options = {
        databaseUrl: database.url,
        environment: { NAVIGATOR_SLACK_THREAD_FOLLOW_UPS: 'true' },
      };
      asked = [];
      fake = await startFakeSlackApi();
      const replicas = [
        await startSlackTestServer(spy(), fake, dataDir, options),
        await startSlackTestServer(spy(), fake, preparedDataDir(), options),
      ] as const;
      try {
        const root = nextTs();
        await replicas[0].send(eventEnvelope(appMention(colleaguesQuestion, channel, root)));
        await fake.waitFor('the first answer', () => fake.delivered('chat.postMessage')[0]);

        const followUp = eventEnvelope(threadReply('only local government', root), 'Ev0FOLLOWUP2');
        expect((await replicas[1].send(followUp)).status).toBe(200);
        expect((await replicas[0].send(followUp, 'application/json', retryHeaders)).status).toBe(200);
        await fake.waitFor('the follow-up answer', () => fake.delivered('chat.postMessage')[1]);
        for (const replica of replicas) await replica.close();
        expect(fake.delivered('chat.postMessage')).toHaveLength(2);
        expect(asked.map(({ question }) => question.text)).toEqual([
          colleaguesQuestion,
          'only local government',
        ]);
      } finally {
        for (const replica of replicas) await replica.close();
        await database.drop();
      }
    },
  );
});
