import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNavigatorStore, type SqlNavigatorStore } from '../../src/index.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../store/support/test-databases.js';
import { startReplica, type ReplicaProcess } from '../support/replica-process.js';
import { startFakeSlackApi, type FakeSlackApi, type FakeSlackCall } from './slack/support/fake-slack-api.js';
import {
  directMessage,
  eventEnvelope,
  interactionBody,
  nextTs,
  postToSlack,
  signatureHeaders,
  testSigningSecret,
  viewSubmission,
} from './slack/support/slack-requests.js';
import { startFakeBotConnector, type FakeBotConnector } from './teams/support/fake-bot-connector.js';
import { channelThread, feedbackInvoke, message, personalChat } from './teams/support/teams-activities.js';
import { until } from '../support/wait-until.js';

// Several real server processes (dist/adapters/main.js) on one PostgreSQL database, as an operator
// runs them behind a load balancer: nothing a user was told "received" is lost or answered twice.

const available = await postgresAvailable();

let database: TestDatabase;
let inspector: SqlNavigatorStore;
let fake: FakeSlackApi;
let connector: FakeBotConnector;
const running = new Set<ReplicaProcess>();

async function replica(): Promise<ReplicaProcess> {
  const started = await startReplica({
    DATABASE_URL: database.url,
    SLACK_SIGNING_SECRET: testSigningSecret,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: fake.apiUrl,
    // A crashed replica's job is taken over after 3 s instead of a minute.
    NAVIGATOR_JOB_LEASE_MS: '3000',
    // These tests send dozens of questions from one person within a minute: no ask limit may refuse
    // one of them (ask-limits.e2e.test.ts tests the limits across replicas).
    NAVIGATOR_USER_ASKS_PER_MINUTE: '10000',
    NAVIGATOR_USER_ASKS_PER_DAY: '100000',
    NAVIGATOR_CHANNEL_ASKS_PER_MINUTE: '10000',
  });
  running.add(started);
  return started;
}

async function stop(process: ReplicaProcess, signal: NodeJS.Signals = 'SIGTERM') {
  running.delete(process);
  return process.stop(signal);
}

/** Posts a signed event as Slack would; a refused connection counts as "not acknowledged". */
async function sendEvent(to: ReplicaProcess, body: string, retry?: number): Promise<number> {
  const headers = { ...signatureHeaders(body), ...(retry ? { 'x-slack-retry-num': String(retry) } : {}) };
  return postToSlack(`${to.url}/slack/events`, body, 'application/json', headers).then(
    (result) => result.status,
    () => 0,
  );
}

/** Waits until no job is queued or running on any replica. */
const settled = () =>
  until('the queue to drain', async () => {
    const counts = await inspector.jobs.counts();
    return counts.queued === 0 && counts.running === 0;
  });

/** Posts an activity to a replica's /api/messages as the Bot Connector would (no app id here). */
const postToTeams = (to: ReplicaProcess, activity: object) =>
  fetch(`${to.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
const teamsMessagesTo = (activityId: string) =>
  connector.delivered().filter((call) => call.activity.type === 'message' && call.replyToId === activityId);

const postsIn = (threadTs: string) =>
  fake.delivered('chat.postMessage').filter((call) => call.args.thread_ts === threadTs);
const shown = (call: FakeSlackCall) => JSON.stringify(call.args.blocks ?? call.args.text);
const peerTitles = (call: FakeSlackCall) =>
  (call.args.blocks as any[])
    .filter((block) => block.type === 'section' && /^\*<http/.test(block.text.text))
    .map((block) => /\|([^>]+)>/.exec(block.text.text)![1]!);

beforeAll(async () => {
  if (!available) return;
  database = await createTestDatabase();
  inspector = await openNavigatorStore({
    dataDir: mkdtempSync(join(tmpdir(), 'psi-inspector-')),
    databaseUrl: database.url,
  });
  fake = await startFakeSlackApi();
  connector = await startFakeBotConnector();
});

afterAll(async () => {
  await Promise.all([...running].map((process) => process.stop('SIGKILL')));
  await inspector?.close();
  await fake?.close();
  await connector?.close();
  await database?.drop();
});

// Each test starts two or three server processes (each loads the knowledge base and the index):
// on two busy cores that alone can take most of the default minute.
describe.skipIf(!available)('two replicas on one PostgreSQL database', { timeout: 180_000 }, () => {
  it('answers an event and its retry on another replica once; the thread continues anywhere', async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    const question = directMessage('Who has run participatory budgeting?');
    const body = eventEnvelope(question);
    const status = await sendEvent(a, body);
    expect(status).toBe(200);
    expect(await sendEvent(b, body, 1)).toBe(200);
    const first = await until('the answer', async () => postsIn(question.ts)[0]);
    await settled();
    expect(postsIn(question.ts)).toHaveLength(1);
    const titles = peerTitles(first);
    expect(titles.length).toBeGreaterThanOrEqual(2);

    const followUp = directMessage(
      'tell me more about the second one',
      question.channel,
      nextTs(),
      question.ts,
    );
    expect(await sendEvent(b, eventEnvelope(followUp))).toBe(200);
    const second = await until('the follow-up', async () => postsIn(question.ts)[1]);
    expect(shown(second)).not.toMatch(/which one do you mean/i);
    expect(shown(second)).toContain(titles[1]);

    await Promise.all([stop(a), stop(b)]);
    const c = await replica();
    const later = directMessage('tell me more about the first one', question.channel, nextTs(), question.ts);
    expect(await sendEvent(c, eventEnvelope(later))).toBe(200);
    const third = await until('the answer after a restart', async () => postsIn(question.ts)[2]);
    expect(shown(third)).not.toMatch(/which one do you mean/i);
    expect(shown(third)).toContain(titles[0]);
    await settled();
    expect(postsIn(question.ts)).toHaveLength(3);
    await stop(c);
  });

  it('records a Teams 👍 on a message sent by one replica on another, with its question', async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    const where = personalChat(connector.serviceUrl, 'a:1replica-chat');
    const post = (to: ReplicaProcess, activity: object) =>
      fetch(`${to.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
    expect((await post(a, message(where, 'Who has made benefits proactive?'))).status).toBe(200);
    const [answer] = await connector
      .waitFor((calls) => calls.some((call) => call.activity.type === 'message' && call.id))
      .then((calls) => calls.filter((call) => call.activity.type === 'message' && call.id));
    expect((await post(b, feedbackInvoke(where, answer!.id!, 'like'))).status).toBe(200);
    const [feedback] = await inspector.feedback.since(new Date(0));
    expect(feedback).toMatchObject({
      channel: 'teams',
      rating: 'helpful',
      question: 'Who has made benefits proactive?',
      conversationId: 'teams:a:1replica-chat',
    });
    expect(feedback!.citedIds.length).toBeGreaterThan(0);
    await Promise.all([stop(a), stop(b)]);
  });

  it('loses no acknowledged event when a replica gets SIGTERM with answers in flight', async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    fake.delay('chat.postMessage', 1_500);
    const questions = Array.from({ length: 24 }, () => directMessage('Who has run participatory budgeting?'));
    // What Slack does: an event that was not acknowledged (503, refused) is retried, here on B.
    const deliver = async (question: Record<string, unknown>) => {
      const body = eventEnvelope(question);
      if ((await sendEvent(a, body)) === 200) return;
      expect(await sendEvent(b, body, 1)).toBe(200);
    };
    await Promise.all(questions.slice(0, 12).map(deliver));
    const stopped = stop(a);
    await Promise.all(questions.slice(12).map(deliver));
    expect(await stopped).toBe(0);
    await settled();
    fake.delay('chat.postMessage', 0);
    for (const question of questions) {
      expect(postsIn(question.ts)).toHaveLength(1);
      // An answer, not an ask-limit notice standing in for one.
      expect(shown(postsIn(question.ts)[0]!)).not.toMatch(/ask again in/i);
    }
    await stop(b);
  });

  it('finishes a job once after kill -9 mid-answer and a restart', async () => {
    const a = await replica();
    fake.delay('assistant.threads.setStatus', 30_000);
    const question = directMessage('Who has made benefits proactive?');
    expect(await sendEvent(a, eventEnvelope(question))).toBe(200);
    await until('the job to be running', async () => {
      const rows = await inspector.sql.query<{ status: string }>(
        "SELECT status FROM jobs WHERE payload->>'threadTs' = $1",
        [question.ts],
      );
      return rows[0]?.status === 'running';
    });
    expect(await stop(a, 'SIGKILL')).toBeNull();
    fake.delay('assistant.threads.setStatus', 0);
    const restarted = await replica();
    await until('the answer after the restart', async () => postsIn(question.ts)[0]);
    await settled();
    expect(postsIn(question.ts)).toHaveLength(1);
    await stop(restarted);
  });

  it('answers a Teams question once across replicas, and once after kill -9 and a restart', async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    const first = message(
      channelThread(connector.serviceUrl, '1700000000401'),
      'Who has run participatory budgeting?',
      {
        mention: true,
      },
    );
    // The Bot Framework redelivers an activity it thinks was lost, here to the other replica.
    const statuses = await Promise.all([postToTeams(a, first), postToTeams(b, first)]);
    expect(statuses.map((response) => response.status)).toEqual([200, 200]);
    await until('the Teams answer', async () => teamsMessagesTo(first.id)[0]);
    await stop(b);

    // Typing goes out first in the job: held there, the job is mid-answer when A is killed.
    connector.delayTyping(30_000);
    const asked = message(
      channelThread(connector.serviceUrl, '1700000000402'),
      'Who has made benefits proactive?',
      {
        mention: true,
      },
    );
    expect((await postToTeams(a, asked)).status).toBe(200);
    await until('the Teams job to be running', async () => {
      const rows = await inspector.sql.query<{ status: string }>(
        "SELECT status FROM jobs WHERE payload->>'activityId' = $1",
        [asked.id],
      );
      return rows[0]?.status === 'running';
    });
    expect(await stop(a, 'SIGKILL')).toBeNull();
    expect(teamsMessagesTo(asked.id)).toHaveLength(0);
    connector.delayTyping(0);
    const restarted = await replica();
    await until('the Teams answer after the restart', async () => teamsMessagesTo(asked.id)[0]);
    await settled();
    expect(teamsMessagesTo(first.id)).toHaveLength(1);
    expect(teamsMessagesTo(asked.id)).toHaveLength(1);
    const [job] = await inspector.sql.query<{ status: string; attempts: number }>(
      "SELECT status, attempts FROM jobs WHERE payload->>'activityId' = $1",
      [asked.id],
    );
    expect(job).toMatchObject({ status: 'done', attempts: 2 });
    await stop(restarted);
  });

  it('stores 1,000 concurrent case submissions, each once, across two replicas', async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    const field = (value: string) => ({ value });
    const submissions = Array.from({ length: 1_000 }, (_, index) => {
      const submission = viewSubmission('navigator_case_submission', {
        title: field(`Pre-filled tax returns, city ${index}`),
        country: field('Portugal'),
        organisation: field('Lisbon City Council'),
        whatWasDone: field('The city pre-fills the municipal tax return so residents only confirm it.'),
        link: field(`https://city.example/tax/${index}`),
      });
      return interactionBody({ ...submission, view: { ...submission.view, id: `V${index}` } });
    });
    const form = 'application/x-www-form-urlencoded';
    const send = (to: ReplicaProcess, body: string) =>
      postToSlack(`${to.url}/slack/events`, body, form, signatureHeaders(body)).then(
        (result) => result.status,
      );
    // Every submission on A or B, and a tenth of them a second time on the other replica.
    const sent = [
      ...submissions.map((body, index) => ({ body, to: index % 2 ? a : b })),
      ...submissions
        .filter((_, index) => index % 10 === 0)
        .map((body, index) => ({ body, to: index % 2 ? b : a })),
    ];
    let statuses = await Promise.all(sent.map(({ body, to }) => send(to, body)));
    // On two busy cores a few may miss Slack's 3 s (Bolt then answers 404); Slack has the user
    // submit again, here on the other replica. Nothing may be stored twice either way.
    for (let round = 0; round < 3 && statuses.some((status) => status === 404); round++)
      statuses = await Promise.all(
        sent.map(({ body, to }, index) =>
          statuses[index] === 404 ? send(to === a ? b : a, body) : Promise.resolve(statuses[index]!),
        ),
      );
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const stored = await inspector.caseSubmissions.list({ limit: 5_000 });
    expect(stored).toHaveLength(1_000);
    expect(new Set(stored.map((submission) => submission.title)).size).toBe(1_000);
    await Promise.all([stop(a), stop(b)]);
  });
});
