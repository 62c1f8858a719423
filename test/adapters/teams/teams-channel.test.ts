import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNavigator,
  loadConfig,
  type Answer,
  type Config,
  type Navigator,
  type Question,
} from '../../../src/index.js';
import { projectRoot } from '../../../src/paths.js';
import { dataDirWithSharedEmbeddings } from '../../support/shared-embeddings.js';
import { adaptiveCard15Schema, textsOf } from './adaptive-card-schema.js';
import {
  startFakeBotConnector,
  type ConnectorCall,
  type FakeBotConnector,
} from './support/fake-bot-connector.js';
import {
  botAdded,
  cardSubmit,
  channelThread,
  feedbackInvoke,
  message,
  personalChat,
} from './support/teams-activities.js';
import { startTeamsServer, type TeamsTestServer } from './support/teams-test-server.js';

// End to end over loopback HTTP: Teams-shaped activities → the real shared server → CloudAdapter →
// the real offline Navigator → replies recorded by a fake Bot Framework connector. No app id, as with
// the Bot Framework Emulator (authentication has its own suite).

let config: Config;
let realNavigator: Navigator;
let connector: FakeBotConnector;
let server: TeamsTestServer;
const asked: Question[] = [];
const answered: Answer[] = [];

/** The real Navigator, recording what it was asked (to see mention stripping and conversation ids). */
function recording(navigator: Navigator, delayMs = 0): Navigator {
  return {
    usesLanguageModel: navigator.usesLanguageModel,
    async ask(question) {
      asked.push(question);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const answer = await navigator.ask(question);
      answered.push(answer);
      return answer;
    },
  };
}

const cardOf = (call: ConnectorCall) => call.activity.attachments?.[0]?.content;
const isCard = (call: ConnectorCall) =>
  call.activity.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive';
const messagesAfter = (index: number) =>
  connector
    .delivered()
    .slice(index)
    .filter((call) => call.activity.type === 'message');
/** Answers come from a stored job after the turn's 200: waits for `count` messages after `index`. */
const answersAfter = async (index: number, count = 1, timeoutMs?: number) => {
  await connector.waitFor(
    (delivered) => delivered.slice(index).filter((call) => call.activity.type === 'message').length >= count,
    timeoutMs,
  );
  return messagesAfter(index);
};
/** A server with a data dir (so a store and job queue) of its own: its jobs are its own. */
const separateConfig = () =>
  loadConfig({
    KNOWLEDGE_DIR: join(projectRoot(), 'knowledge'),
    NAVIGATOR_DATA_DIR: dataDirWithSharedEmbeddings(),
  });

beforeAll(async () => {
  const dataDir = dataDirWithSharedEmbeddings();
  config = loadConfig({ KNOWLEDGE_DIR: join(projectRoot(), 'knowledge'), NAVIGATOR_DATA_DIR: dataDir });
  realNavigator = await createNavigator(config, { answerModel: null });
  connector = await startFakeBotConnector();
  server = await startTeamsServer(config, recording(realNavigator));
});

afterAll(async () => {
  await server?.close();
  await connector?.close();
});

describe('Teams without an app id (local development)', () => {
  it('warns loudly that the endpoint is unauthenticated', () => {
    expect(
      server.logs.some((line) => line.level === 'warn' && /WITHOUT AUTHENTICATION/.test(line.message)),
    ).toBe(true);
  });

  it(
    'answers an @-mention in a channel thread with one Adaptive Card 1.5, ' +
      'asking the question without the mention',
    async () => {
      const start = connector.delivered().length;
      const where = channelThread(connector.serviceUrl, '1700000000123');
      const activity = message(where, 'Who has made benefits proactive?', { mention: true });
      const response = await server.post(activity);
      expect(response.status).toBe(200);
      await answersAfter(start);

      expect(asked.at(-1)).toMatchObject({
        text: 'Who has made benefits proactive?',
        conversationId: `teams:${where.conversationId}`,
        channel: 'teams',
      });
      await answersAfter(start);
      const calls = connector.delivered().slice(start);
      expect(calls[0]!.activity.type).toBe('typing'); // the typing indicator goes out before the answer
      const answers = calls.filter((call) => call.activity.type === 'message');
      expect(answers).toHaveLength(1);
      const [answer] = answers as [ConnectorCall];
      // Posted into the thread, as a reply to the question.
      expect(answer.conversationId).toBe(where.conversationId);
      expect(answer.replyToId).toBe(activity.id);
      expect(isCard(answer)).toBe(true);
      // Composed by the Navigator: Teams shows its "AI generated" label (entity fields survive
      // serialisation).
      expect(answer.activity.entities).toEqual([
        expect.objectContaining({ '@type': 'Message', additionalType: ['AIGeneratedContent'] }),
      ]);

      const card = cardOf(answer);
      expect(adaptiveCard15Schema.safeParse(card).error).toBeUndefined();
      expect(card.version).toBe('1.5');
      const texts = textsOf(card);
      expect(texts).toEqual(
        expect.arrayContaining(['Methods and toolkits', 'Peer cases: whom to approach', 'Sources']),
      );
      expect(texts.some((text) => text.includes('Social Insurance Board'))).toBe(true);
      expect(texts.find((text) => text.startsWith('1. '))).toMatch(/^1\. \[.+\]\(https?:\/\/.+\) \(case\)/);
      expect(
        card.body.filter((element: { type: string }) => element.type === 'Container').length,
      ).toBeGreaterThanOrEqual(4);
      expect(card.actions.map((action: { title: string }) => action.title)).toEqual([
        '👍 Helpful',
        '👎 Not helpful',
      ]);
    },
  );

  it('answers 400 to a body that is not JSON or not an activity', async () => {
    const notJson = await fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(notJson.status).toBe(400);
    expect((await server.post({})).status).toBe(400);
  });

  it('ignores channel messages that do not mention the bot', async () => {
    const start = connector.calls.length;
    const before = asked.length;
    const response = await server.post(
      message(channelThread(connector.serviceUrl), 'Who has made benefits proactive?'),
    );
    expect(response.status).toBe(200);
    expect(asked.length).toBe(before);
    expect(connector.calls.length).toBe(start);
  });

  it(
    'keeps the context of a personal chat: ' + 'a card button asks the follow-up about the first peer case',
    async () => {
      const where = personalChat(connector.serviceUrl, 'a:1follow-up-chat');
      let start = connector.delivered().length;
      await server.post(message(where, 'Who has run participatory budgeting?'));
      const [first] = await answersAfter(start);
      const firstPeer = answered.at(-1)!.peerCases[0]!;
      expect(textsOf(cardOf(first!))).toContain(`**[${firstPeer.title}](${firstPeer.url})**`);
      const followUp = cardOf(first!)
        .body.find((element: { type: string }) => element.type === 'ActionSet')
        .actions.find((action: { title: string }) => action.title === 'Tell me more about the first one');
      expect(followUp.data).toEqual({
        action: 'navigator.ask',
        question: 'Tell me more about the first one',
      });

      start = connector.delivered().length;
      const submit = cardSubmit(where, followUp.data, 'bot-message-id-of-the-card');
      expect((await server.post(submit)).status).toBe(200);
      await answersAfter(start);
      expect(asked.at(-1)).toMatchObject({
        text: 'Tell me more about the first one',
        conversationId: 'teams:a:1follow-up-chat',
      });
      const [detail] = await answersAfter(start);
      // A prose answer: a text reply with Teams' AI label, citation pop-up and feedback buttons.
      expect(detail!.activity.attachments ?? []).toHaveLength(0);
      const entity = detail!.activity.entities[0];
      expect(entity.additionalType).toEqual(['AIGeneratedContent']);
      expect(entity.citation[0]).toMatchObject({
        '@type': 'Claim',
        position: 1,
        appearance: { '@type': 'DigitalDocument' },
      });
      expect(detail!.activity.channelData).toEqual({ feedbackLoopEnabled: true });
      // "the first one" is the first peer case of the previous answer.
      expect(entity.citation[0].appearance).toMatchObject({ name: firstPeer.title, url: firstPeer.url });
      expect(detail!.activity.text).toContain(`**${firstPeer.title}** [1]`);
    },
  );

  it('welcomes the chat with example questions when the bot is added', async () => {
    const start = connector.delivered().length;
    expect((await server.post(botAdded(personalChat(connector.serviceUrl, 'a:1new-chat')))).status).toBe(200);
    const [welcome] = messagesAfter(start);
    const card = cardOf(welcome!);
    expect(adaptiveCard15Schema.safeParse(card).error).toBeUndefined();
    const questions = card.body
      .find((element: { type: string }) => element.type === 'ActionSet')
      .actions.map((action: { data: { question: string } }) => action.data.question);
    expect(questions).toContain('Who has made benefits proactive?');
  });

  it(
    "records Teams' built-in 👍/👎 (message/submitAction) with the question it answered, " +
      'and card feedback too',
    async () => {
      const where = personalChat(connector.serviceUrl, 'a:1feedback-chat');
      const start = connector.delivered().length;
      // Nothing matches: a text reply saying so, with Teams' feedback buttons (curators learn what is
      // missing).
      await server.post(message(where, 'zqxv wvkt plomb'));
      const [reply] = await answersAfter(start);
      expect(answered.at(-1)!.status).toBe('no_match');
      expect(reply!.activity.channelData).toEqual({ feedbackLoopEnabled: true });
      const invoke = feedbackInvoke(where, reply!.id!, 'dislike', 'It should have asked which one I meant.');
      const response = await server.post(invoke);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(''); // Teams treats a non-empty body as an error

      const card = cardSubmit(
        where,
        {
          action: 'navigator.feedback',
          rating: 'helpful',
          question: 'Who has made benefits proactive?',
          cited: ['estonia-proactive-family-benefits'],
        },
        'bot-message-1',
      );
      const before = connector.delivered().length;
      expect((await server.post(card)).status).toBe(200);
      // Recorded without a "thank you" the whole chat would see.
      expect(messagesAfter(before)).toHaveLength(0);

      // Newest first.
      const lines = (await server.store.feedback.since(new Date(0))).reverse();
      expect(lines.at(-2)).toMatchObject({
        channel: 'teams',
        conversationId: 'teams:a:1feedback-chat',
        rating: 'not_helpful',
        comment: 'It should have asked which one I meant.',
        question: 'zqxv wvkt plomb',
        // The curators read the rated answer too: Teams keeps no copy the bot could fetch.
        answer: answered.at(-1)!.text,
      });
      expect(lines.at(-1)).toMatchObject({
        channel: 'teams',
        rating: 'helpful',
        question: 'Who has made benefits proactive?',
        citedIds: ['estonia-proactive-family-benefits'],
      });
    },
  );

  it('retries a 429 from the connector and delivers the answer once', async () => {
    const start = connector.calls.length;
    // First a 429 with Retry-After (the SDK pipeline retries it), then one without (the adapter retries it).
    connector.failNextMessages([{ status: 429, headers: { 'Retry-After': '0' } }, { status: 429 }]);
    const response = await server.post(
      message(
        personalChat(connector.serviceUrl, 'a:1busy-chat'),
        'Which method fits a cross-ministry climate goal?',
      ),
    );
    expect(response.status).toBe(200);
    await connector.waitFor(() =>
      connector.calls.slice(start).some((call) => call.status === 201 && isCard(call)),
    );
    const calls = connector.calls.slice(start).filter((call) => call.activity.type === 'message');
    expect(calls.map((call) => call.status)).toEqual([429, 429, 201]);
    expect(calls.filter((call) => call.status === 201 && isCard(call))).toHaveLength(1);
  });

  it('tells the user briefly when answering fails after the last retry, and logs the cause', async () => {
    const failing: Navigator = {
      usesLanguageModel: false,
      ask: async () => Promise.reject(new Error('index exploded')),
    };
    const broken = await startTeamsServer(separateConfig(), failing);
    try {
      const start = connector.delivered().length;
      expect(
        (await broken.post(message(personalChat(connector.serviceUrl, 'a:1broken'), 'anything'))).status,
      ).toBe(200);
      const [sorry] = await answersAfter(start);
      expect(sorry!.activity.text).toMatch(/^Sorry, something went wrong/);
      expect(sorry!.activity.text).not.toContain('exploded');
      expect(broken.logs.find((line) => line.level === 'error')?.detail).toMatchObject({
        message: 'index exploded',
      });
    } finally {
      await broken.close();
    }
  });
});

describe('a slow answer', () => {
  it('is announced at once and delivered proactively when the Navigator takes 20 seconds', async () => {
    const slow = await startTeamsServer(separateConfig(), recording(realNavigator, 20_000));
    try {
      const where = channelThread(connector.serviceUrl, '1700000000999');
      const activity = message(where, 'Who has made benefits proactive?', { mention: true });
      const start = connector.delivered().length;
      const posted = Date.now();
      const response = await slow.post(activity);
      // The request returns within the Bot Service's ~15 s budget, with a "working on it" reply.
      expect(response.status).toBe(200);
      expect(Date.now() - posted).toBeLessThan(10_000);
      const [notice] = await answersAfter(start);
      expect(notice!.activity.text).toMatch(/^Working on it/);
      expect(notice!.replyToId).toBe(activity.id);

      const delivered = await connector.waitFor((calls) => calls.slice(start).some(isCard), 40_000);
      const answer = delivered.slice(start).find(isCard)!;
      expect(answer.at - posted).toBeGreaterThanOrEqual(19_000);
      // Proactively, into the same thread, still as a reply to the question.
      expect(answer.conversationId).toBe(where.conversationId);
      expect(answer.replyToId).toBe(activity.id);
      expect(adaptiveCard15Schema.safeParse(cardOf(answer)).error).toBeUndefined();
      expect(messagesAfter(start).filter(isCard)).toHaveLength(1);
    } finally {
      await slow.close();
    }
  }, 60_000);
});
