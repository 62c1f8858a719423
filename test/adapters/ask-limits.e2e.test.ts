import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNavigatorStore, type SqlNavigatorStore } from '../../src/index.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../store/support/test-databases.js';
import { startReplica, type ReplicaProcess } from '../support/replica-process.js';
import { startFakeSlackApi, type FakeSlackApi } from './slack/support/fake-slack-api.js';
import {
  directMessage,
  eventEnvelope,
  postToSlack,
  signatureHeaders,
  slashCommandBody,
  testSigningSecret,
} from './slack/support/slack-requests.js';
import { startFakeBotConnector, type FakeBotConnector } from './teams/support/fake-bot-connector.js';
import { message, personalChat } from './teams/support/teams-activities.js';
import { until } from '../support/wait-until.js';

// Ask limits as an operator runs them: two real server processes (dist/adapters/main.js) on one
// PostgreSQL database, the limit set by an environment variable. Real processes rather than two
// channels in one process, so that nothing but the database is shared (no pool, no memory) and the
// variable goes through the same configuration as in production. The per-day limit is the one set
// low: a minute window could end between two questions and let the third one through.

const available = await postgresAvailable();
const perDay = 2;
const waitLine =
  /today's limit of 2 questions\. Please ask again in (about \d+ hours|\d+ minutes|\d+ seconds)/;

let database: TestDatabase;
let inspector: SqlNavigatorStore;
let fake: FakeSlackApi;
let connector: FakeBotConnector;
let a: ReplicaProcess;
let b: ReplicaProcess;

const sendEvent = (to: ReplicaProcess, body: string, retry?: number) =>
  postToSlack(`${to.url}/slack/events`, body, 'application/json', {
    ...signatureHeaders(body),
    ...(retry ? { 'x-slack-retry-num': String(retry) } : {}),
  }).then((result) => result.status);

const postTeams = (to: ReplicaProcess, activity: object) =>
  fetch(`${to.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  }).then((response) => response.status);

const settled = () =>
  until('the queue to drain', async () => {
    const counts = await inspector.jobs.counts();
    return counts.queued === 0 && counts.running === 0;
  });

const postsIn = (threadTs: string) =>
  fake.delivered('chat.postMessage').filter((call) => call.args.thread_ts === threadTs);
const jobsFor = (threadTs: string) =>
  inspector.sql.query("SELECT job_id FROM jobs WHERE payload->>'threadTs' = $1", [threadTs]);

beforeAll(async () => {
  if (!available) return;
  database = await createTestDatabase();
  inspector = await openNavigatorStore({
    dataDir: mkdtempSync(join(tmpdir(), 'psi-inspector-')),
    databaseUrl: database.url,
  });
  fake = await startFakeSlackApi();
  connector = await startFakeBotConnector();
  const environment = {
    DATABASE_URL: database.url,
    SLACK_SIGNING_SECRET: testSigningSecret,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: fake.apiUrl,
    NAVIGATOR_USER_ASKS_PER_DAY: String(perDay),
  };
  [a, b] = await Promise.all([startReplica(environment), startReplica(environment)]);
});

afterAll(async () => {
  await Promise.all([a?.stop('SIGKILL'), b?.stop('SIGKILL')]);
  await inspector?.close();
  await fake?.close();
  await connector?.close();
  await database?.drop();
});

describe.skipIf(!available)('ask limits on two replicas sharing one PostgreSQL database', () => {
  it('Slack: the third question of the day, on either replica, is told when to ask again', async () => {
    const first = directMessage('Who has run participatory budgeting?');
    const second = directMessage('Who has made benefits proactive?');
    const third = directMessage('Who has used behavioural insights for tax letters?');
    const firstBody = eventEnvelope(first);
    expect(await sendEvent(a, firstBody)).toBe(200);
    // Slack retrying the first event on the other replica: the delivery keys dedupe it before it counts.
    expect(await sendEvent(b, firstBody, 1)).toBe(200);
    expect(await sendEvent(b, eventEnvelope(second))).toBe(200);
    const thirdBody = eventEnvelope(third);
    expect(await sendEvent(a, thirdBody)).toBe(200);
    // Its retry on the other replica is a duplicate: no second notice.
    expect(await sendEvent(b, thirdBody, 1)).toBe(200);

    const [notice] = await until(
      'the wait notice',
      async () => postsIn(third.ts).length > 0 && postsIn(third.ts),
    );
    expect(notice!.args.text).toMatch(waitLine);
    expect(notice!.args.blocks).toBeUndefined();
    await until('both answers', async () => postsIn(first.ts).length > 0 && postsIn(second.ts).length > 0);
    await settled();
    expect(await jobsFor(third.ts)).toEqual([]);
    expect(postsIn(third.ts)).toHaveLength(1);
    for (const answered of [first, second]) {
      expect(postsIn(answered.ts)).toHaveLength(1);
      expect(postsIn(answered.ts)[0]!.args.blocks).toBeDefined();
      expect(postsIn(answered.ts)[0]!.args.text).not.toMatch(waitLine);
    }

    // /navigator from the same person: the private acknowledgement says when, and nothing follows.
    const command = slashCommandBody(
      'Who has run participatory budgeting?',
      fake.responseUrl('limited'),
      'D0ALICE',
    );
    const form = 'application/x-www-form-urlencoded';
    const acknowledged = await postToSlack(`${b.url}/slack/events`, command, form, signatureHeaders(command));
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.json()).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(waitLine),
    });
    await settled();
    expect(fake.responseUrlPosts.filter((post) => post.id === 'limited')).toEqual([]);

    // Another person, on either replica, is answered as usual.
    const other = { ...directMessage('Who has run participatory budgeting?', 'D0BOB'), user: 'U0BOB' };
    expect(await sendEvent(b, eventEnvelope(other))).toBe(200);
    const [answer] = await until(
      'the other person’s answer',
      async () => postsIn(other.ts).length > 0 && postsIn(other.ts),
    );
    expect(answer!.args.blocks).toBeDefined();
    expect(answer!.args.text).not.toMatch(waitLine);
  });

  it('Teams: the third question of the day is told when to ask again; another person is not', async () => {
    const chat = personalChat(connector.serviceUrl, 'a:1limits-chat');
    const questions = [
      message(chat, 'Who has made benefits proactive?'),
      message(chat, 'Who has run participatory budgeting?'),
      message(chat, 'Who has used behavioural insights for tax letters?'),
    ];
    const repliesTo = (id: string) =>
      connector.delivered().filter((call) => call.activity.type === 'message' && call.replyToId === id);
    const isAnswer = (call: { activity: Record<string, any> }) =>
      (call.activity.attachments ?? []).length > 0;
    expect(await postTeams(a, questions[0]!)).toBe(200);
    expect(await postTeams(b, questions[1]!)).toBe(200);
    expect(await postTeams(a, questions[2]!)).toBe(200);
    for (const answered of questions.slice(0, 2))
      await until('an answer', async () => repliesTo(answered.id).some(isAnswer));
    const refused = repliesTo(questions[2]!.id);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.activity.text).toMatch(waitLine);
    expect(isAnswer(refused[0]!)).toBe(false);

    const otherChat = personalChat(connector.serviceUrl, 'a:1other-person-chat');
    const other = {
      ...message(otherChat, 'Who has made benefits proactive?'),
      from: { id: '29:1other-teams-id', name: 'Bo Policy Officer', aadObjectId: '7c2f-aad-other' },
    };
    expect(await postTeams(b, other)).toBe(200);
    await until('the other person’s answer', async () => repliesTo(other.id).some(isAnswer));
    expect(repliesTo(other.id).some((call) => waitLine.test(call.activity.text ?? ''))).toBe(false);
  });
});
