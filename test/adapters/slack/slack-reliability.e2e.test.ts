import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { markdownForStream } from '../../../adapters/slack/mrkdwn.js';
import type { Answer, Navigator } from '../../../src/index.js';
import pg from 'pg';
import { createTestDatabase, postgresAvailable } from '../../store/support/test-databases.js';
import { blockKitProblems } from './support/block-kit-validator.js';
import { startFakeSlackApi, type FakeSlackApi } from './support/fake-slack-api.js';
import { longAnswer } from './support/long-answer.js';
import { appMention, directMessage, eventEnvelope } from './support/slack-requests.js';
import {
  preparedDataDir,
  realNavigator,
  startSlackTestServer,
  wrapNavigator,
  type SlackTestServer,
} from './support/slack-test-server.js';

const postgres = await postgresAvailable();
let dataDir: string;
let navigator: Navigator;
let fake: FakeSlackApi;
let slack: SlackTestServer | undefined;

beforeAll(async () => {
  dataDir = preparedDataDir();
  navigator = await realNavigator(dataDir);
});
beforeEach(async () => {
  fake = await startFakeSlackApi();
});
afterEach(async () => {
  await slack?.close();
  await fake.close();
});

const peerCasesAnswer = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'peer-cases-answer.json'), 'utf8'),
) as Answer;
const question = 'We want to make our benefits reach people automatically — who has done this?';

describe('Slack reliability', () => {
  it("acknowledges within Slack's 3 seconds while the Navigator takes 5, then answers once", async () => {
    slack = await startSlackTestServer(
      wrapNavigator(navigator, (answer) => answer, 5_000),
      fake,
      dataDir,
    );
    const mention = appMention(question);
    const response = await slack.send(eventEnvelope(mention));
    expect(response.status).toBe(200);
    expect(response.elapsedMillis).toBeLessThan(3_000);
    expect(fake.delivered('chat.postMessage')).toHaveLength(0);
    await fake.waitFor('the slow answer', () => fake.delivered('chat.postMessage')[0]);
    await slack.close();
    expect(fake.delivered('chat.postMessage')).toHaveLength(1);
  });

  it('waits out a 429 with Retry-After and delivers the answer exactly once', async () => {
    slack = await startSlackTestServer(navigator, fake, dataDir);
    fake.failNext('chat.postMessage', { kind: 'rate_limited', retryAfterSeconds: 1 });
    const mention = appMention(question);
    await slack.send(eventEnvelope(mention));
    await slack.close();
    const attempts = fake.callsTo('chat.postMessage');
    expect(attempts.map((call) => call.outcome)).toEqual(['rate_limited', 'ok']);
    expect(attempts[1]!.args).toEqual(attempts[0]!.args);
    expect(fake.delivered('chat.postMessage')[0]!.args.thread_ts).toBe(mention.ts);
    expect(slack.logs.filter((entry) => entry.level === 'error')).toEqual([]);
  });

  it(
    'splits a 50,000-character answer into valid messages when Slack offers no streaming, ' +
      'and stops trying to stream',
    async () => {
      slack = await startSlackTestServer(
        wrapNavigator(navigator, () => longAnswer(peerCasesAnswer)),
        fake,
        dataDir,
      );
      fake.refuse('chat.startStream', 'unknown_method');
      const mention = appMention(question);
      await slack.send(eventEnvelope(mention));
      await fake.waitFor('the first long answer', () => fake.delivered('chat.postMessage').length > 0);
      await slack.send(eventEnvelope(appMention('again, please')));
      await slack.close();
      const posts = fake.delivered('chat.postMessage');
      for (const post of posts) expect(blockKitProblems(post.args)).toEqual([]);
      const firstAnswer = posts.filter((post) => post.args.thread_ts === mention.ts);
      expect(firstAnswer.length).toBeGreaterThan(1);
      expect(posts.length).toBe(2 * firstAnswer.length);
      const text = firstAnswer
        .flatMap((post) => post.args.blocks)
        .filter((block: any) => block.type === 'section')
        .map((block: any) => block.text.text)
        .join('\n');
      const long = longAnswer(peerCasesAnswer).text;
      expect((text.match(/\|read the evaluation>/g) ?? []).length).toBe(
        (long.match(/\[read the evaluation\]/g) ?? []).length,
      );
      expect(
        firstAnswer
          .flatMap((post) => post.args.blocks)
          .filter((block: any) => block.type === 'context_actions'),
      ).toHaveLength(1);
      expect(fake.callsTo('chat.startStream')).toHaveLength(1);
    },
  );

  it(
    'streams a long answer as one message, through a 429 on the way, ' + 'without losing or repeating text',
    async () => {
      slack = await startSlackTestServer(
        wrapNavigator(navigator, () => longAnswer(peerCasesAnswer, 20_000)),
        fake,
        dataDir,
      );
      fake.failNext('chat.appendStream', { kind: 'rate_limited', retryAfterSeconds: 1 });
      const dm = directMessage(question);
      await slack.send(eventEnvelope(dm));
      await slack.close();
      const [start] = fake.delivered('chat.startStream');
      expect(start!.args).toMatchObject({
        channel: dm.channel,
        thread_ts: dm.ts,
        recipient_user_id: 'U0ALICE',
        recipient_team_id: 'T0PSI',
      });
      const streamed = [start!, ...fake.delivered('chat.appendStream')]
        .map((call) => call.args.markdown_text as string)
        .join('');
      expect(streamed).toBe(markdownForStream(longAnswer(peerCasesAnswer, 20_000).text));
      const [stop] = fake.delivered('chat.stopStream');
      expect(blockKitProblems({ text: 'stop', blocks: stop!.args.blocks })).toEqual([]);
      expect(stop!.args.blocks.some((block: any) => block.type === 'context_actions')).toBe(true);
      expect(fake.delivered('chat.postMessage')).toHaveLength(0);
    },
  );

  it('tells the user briefly when answering fails, and keeps the details in the log', async () => {
    slack = await startSlackTestServer(
      {
        usesLanguageModel: false,
        ask: async () => {
          throw new Error('index file corrupt at /secret/path');
        },
      },
      fake,
      dataDir,
    );
    const mention = appMention(question);
    await slack.send(eventEnvelope(mention));
    // The job is retried with backoff; the apology comes after its last attempt, and only once.
    const apology = await fake.waitFor('the apology', () => fake.delivered('chat.postMessage')[0]);
    await slack.close();
    expect(fake.delivered('chat.postMessage')).toHaveLength(1);
    expect(apology.args).toMatchObject({
      channel: mention.channel,
      thread_ts: mention.ts,
      text: expect.stringContaining('Sorry'),
    });
    expect(JSON.stringify(apology.args)).not.toContain('secret');
    expect(
      slack.logs.some(
        (entry) =>
          entry.level === 'error' && String((entry.detail as Error)?.message).includes('/secret/path'),
      ),
    ).toBe(true);
  });

  it.skipIf(!postgres)(
    'answers 500 when the question cannot be stored, so that Slack retries, and answers the retry once',
    async () => {
      const database = await createTestDatabase();
      const admin = new pg.Client({ connectionString: database.url });
      try {
        slack = await startSlackTestServer(navigator, fake, dataDir, { databaseUrl: database.url });
        await admin.connect();
        // The jobs table gone for a moment: storing the question fails inside the listener.
        await admin.query('ALTER TABLE jobs RENAME TO jobs_away');
        const envelope = eventEnvelope(appMention(question));
        const first = await slack.send(envelope);
        expect(first.status).toBe(500);
        expect(first.elapsedMillis).toBeLessThan(3_000);
        await admin.query('ALTER TABLE jobs_away RENAME TO jobs');
        const retry = await slack.send(envelope, 'application/json', {
          'x-slack-retry-num': '1',
          'x-slack-retry-reason': 'http_error',
        });
        expect(retry.status).toBe(200);
        await fake.waitFor('the answer', () => fake.delivered('chat.postMessage')[0]);
        await slack.close();
        expect(fake.delivered('chat.postMessage')).toHaveLength(1);
      } finally {
        await slack?.close();
        await admin.end();
        await database.drop();
      }
    },
  );
});
