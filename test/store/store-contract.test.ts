import { createHmac } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationState } from '../../src/assistant/conversation-store.js';
import type { Answer } from '../../src/assistant/answer.js';
import { feedbackPaths, keptAnswerLength } from '../../src/feedback/feedback-store.js';
import { applyMigrations, migrations } from '../../src/store/migrations.js';
import {
  openNavigatorStore,
  type OpenStoreOptions,
  type SqlNavigatorStore,
} from '../../src/store/open-store.js';
import { importReviewQueueFiles } from '../../src/store/review-queue.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/test-databases.js';

// One contract, two engines: every test below runs on embedded PGlite and on PostgreSQL. On
// PostgreSQL `replica` is a second store (its own pool) on the same database, as a second replica
// would be; on the embedded engine, which serves one process, it is the same store.

const salt = 'contract-test-salt-0123456789';
const tables = [
  'conversations',
  'delivery_keys',
  'jobs',
  'job_sends',
  'teams_conversation_references',
  'teams_sent_answers',
  'shared_answers',
  'feedback',
  'case_submissions',
  'question_log',
  'engaged_threads',
  'channel_settings',
  'rate_limit_windows',
  'hand_offs',
  'digest_subscriptions',
];

interface EngineFixture {
  name: 'embedded' | 'postgres';
  open(
    options: Omit<OpenStoreOptions, 'dataDir'>,
  ): Promise<{ store: SqlNavigatorStore; replica: SqlNavigatorStore }>;
  cleanup(): Promise<void>;
}

function embeddedFixture(): EngineFixture {
  let dataDir = '';
  return {
    name: 'embedded',
    async open(options) {
      dataDir = await mkdtemp(join(tmpdir(), 'navigator-store-'));
      const store = await openNavigatorStore({ ...options, dataDir });
      return { store, replica: store };
    },
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
}

function postgresFixture(): EngineFixture {
  let database: TestDatabase | undefined;
  return {
    name: 'postgres',
    async open(options) {
      database = await createTestDatabase();
      const dataDir = join(tmpdir(), 'navigator-store-unused');
      const store = await openNavigatorStore({ ...options, dataDir, databaseUrl: database.url });
      const replica = await openNavigatorStore({ ...options, dataDir, databaseUrl: database.url });
      return { store, replica };
    },
    cleanup: async () => database?.drop(),
  };
}

const fixtures: EngineFixture[] = [embeddedFixture()];
if (await postgresAvailable()) fixtures.push(postgresFixture());
else
  console.warn(
    'PostgreSQL is not running at 127.0.0.1:5432: the store contract runs on the embedded engine only',
  );

const minute = 60 * 1000;
const hour = 60 * minute;
const day = 24 * hour;

function conversationState(topic: string, turns: number): ConversationState {
  return {
    topic,
    intent: 'question',
    filters: {},
    listed: ['case-a', 'case-b'],
    history: Array.from({ length: turns }, (_, index) => ({
      role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
      text: `turn ${index}`,
    })),
    updatedAt: 0,
  };
}

const validCase = {
  title: 'Participatory budgeting in Porto Alegre',
  country: 'Brazil',
  organisation: 'City of Porto Alegre',
  whatWasDone: 'Citizens decided on part of the city budget in neighbourhood assemblies.',
  link: 'https://example.org/porto-alegre',
};

describe.each(fixtures)('the store contract on the $name engine', (fixture) => {
  let clock = new Date('2030-01-01T00:00:00Z');
  const advance = (milliseconds: number) => {
    clock = new Date(clock.getTime() + milliseconds);
  };
  let store: SqlNavigatorStore;
  let replica: SqlNavigatorStore;

  beforeAll(async () => {
    ({ store, replica } = await fixture.open({
      hashSalt: salt,
      now: () => clock,
      jobs: { backoffBaseMs: 1_000, backoffMaxMs: 60_000 },
    }));
  });

  afterAll(async () => {
    await store?.close();
    if (replica !== store) await replica?.close();
    await fixture.cleanup();
  });

  beforeEach(async () => {
    clock = new Date('2030-01-01T00:00:00Z');
    await store.sql.execute(`TRUNCATE ${tables.join(', ')} CASCADE`);
  });

  it('records each migration once, and applying them again changes nothing', async () => {
    expect(store.engine).toBe(fixture.name);
    const rows = await store.sql.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((row) => row.version)).toEqual(migrations.map((migration) => migration.version));
    expect(await applyMigrations(store.sql)).toEqual([]);
    expect(await applyMigrations(replica.sql)).toEqual([]);
  });

  it('reports itself healthy', async () => {
    expect(await store.health()).toEqual({ ok: true, engine: fixture.name });
  });

  describe('conversations', () => {
    it('shares state between replicas, keeps the last 8 turns and forgets after the idle time', async () => {
      await store.conversations.set('slack:C1:1700.1', conversationState('participatory budgeting', 12));
      advance(hour);
      const state = await replica.conversations.get('slack:C1:1700.1');
      expect(state?.topic).toBe('participatory budgeting');
      expect(state?.history).toHaveLength(8);
      expect(state?.history[0]?.text).toBe('turn 4');
      expect(state?.updatedAt).toBe(new Date('2030-01-01T00:00:00Z').getTime());
      advance(hour);
      expect(await replica.conversations.get('slack:C1:1700.1')).toBeDefined();
      advance(1);
      expect(await replica.conversations.get('slack:C1:1700.1')).toBeUndefined();
      expect(await store.conversations.get('never-seen')).toBeUndefined();
      expect(await store.conversations.purgeExpired()).toBe(1);
    });

    it('a turn renews the idle time', async () => {
      await store.conversations.set('teams:a', conversationState('foresight', 2));
      advance(90 * minute);
      await replica.conversations.set('teams:a', conversationState('foresight, again', 3));
      advance(90 * minute);
      expect((await store.conversations.get('teams:a'))?.topic).toBe('foresight, again');
    });
  });

  describe('delivery keys', () => {
    it('lets exactly one of many concurrent claims of one key win, across replicas', async () => {
      const claims = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          (index % 2 === 0 ? store : replica).deliveryKeys.claim(['event:Ev1']),
        ),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it('treats a mention delivered as app_mention and as message (same channel and ts) as one', async () => {
      const [mention, message] = await Promise.all([
        store.deliveryKeys.claim(['event:EvMention', 'message:C1:1700.2']),
        replica.deliveryKeys.claim(['event:EvMessage', 'message:C1:1700.2']),
      ]);
      expect([mention, message].filter(Boolean)).toHaveLength(1);
      expect(await store.deliveryKeys.claim(['event:EvMention', undefined])).toBe(false);
      expect(await store.deliveryKeys.claim([undefined])).toBe(true);
    });

    it('counts a key as absent again after its time to live', async () => {
      expect(await store.deliveryKeys.claim(['prompts:D1'], { ttlMs: hour })).toBe(true);
      advance(59 * minute);
      expect(await replica.deliveryKeys.claim(['prompts:D1'], { ttlMs: hour })).toBe(false);
      advance(2 * minute);
      expect(await replica.deliveryKeys.claim(['prompts:D1'], { ttlMs: hour })).toBe(true);
      advance(2 * hour);
      expect(await store.deliveryKeys.purgeExpired()).toBe(1);
    });
  });

  describe('jobs', () => {
    it('stores a job once for an event delivered many times at once', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          (index % 2 === 0 ? store : replica).jobs.enqueue({
            kind: 'slack_message',
            payload: { channel: 'C1', ts: '1700.3', text: 'hello' },
            deliveryKeys: [`event:Ev${index % 3}`, 'message:C1:1700.3'],
          }),
        ),
      );
      expect(results.filter((result) => result.status === 'enqueued')).toHaveLength(1);
      expect(await store.jobs.counts()).toEqual({ queued: 1, running: 0, done: 0, dead: 0 });
    });

    it('counts limits after the delivery keys and stores no job over a limit, across replicas', async () => {
      const limits = [
        { key: 'ask:user:U1:minute', limit: 2, windowMs: minute },
        { key: 'ask:channel:C1:minute', limit: 10, windowMs: minute },
      ];
      const ask = (on: SqlNavigatorStore, ts: string, eventId: string) =>
        on.jobs.enqueue({
          kind: 'slack_message',
          payload: { channel: 'C1', ts, text: 'hello' },
          deliveryKeys: [`event:${eventId}`, `message:C1:${ts}`],
          limits,
        });
      expect((await ask(store, '1.1', 'Ev1')).status).toBe('enqueued');
      // A retry and a twin event of the first question count nothing.
      expect((await ask(replica, '1.1', 'Ev1')).status).toBe('duplicate');
      expect((await ask(replica, '1.1', 'Ev1-twin')).status).toBe('duplicate');
      expect((await ask(replica, '1.2', 'Ev2')).status).toBe('enqueued');
      const third = await ask(store, '1.3', 'Ev3');
      expect(third).toEqual({ status: 'limited', refused: limits[0], retryAfterMs: minute });
      // The refused delivery's keys are taken: its retry is a duplicate, not a second count or notice.
      expect((await ask(replica, '1.3', 'Ev3')).status).toBe('duplicate');
      expect(await store.jobs.counts()).toEqual({ queued: 2, running: 0, done: 0, dead: 0 });
      // The person's refusals did not use up the channel's limit.
      const others = await store.rateLimits.hitEach([
        { key: 'ask:channel:C1:minute', limit: 3, windowMs: minute },
      ]);
      expect(others).toEqual({ allowed: true });
      advance(minute);
      expect((await ask(replica, '1.4', 'Ev4')).status).toBe('enqueued');
    });

    it('never gives one job to two workers', async () => {
      const jobCount = 30;
      for (let index = 0; index < jobCount; index++)
        await store.jobs.enqueue({ kind: 'slack_message', payload: { index } });
      const claimedBy = new Map<string, string[]>();
      const work = async (worker: string, queue: SqlNavigatorStore) => {
        for (;;) {
          const job = await queue.jobs.claim(worker, { leaseMs: minute });
          if (!job) return;
          claimedBy.set(job.jobId, [...(claimedBy.get(job.jobId) ?? []), worker]);
          expect(await queue.jobs.complete(job)).toBe(true);
        }
      };
      await Promise.all([work('a1', store), work('b1', replica), work('a2', store), work('b2', replica)]);
      expect(claimedBy.size).toBe(jobCount);
      for (const workers of claimedBy.values()) expect(workers).toHaveLength(1);
      expect((await store.jobs.counts()).done).toBe(jobCount);
    });

    it('claims only the kinds asked for, oldest first', async () => {
      await store.jobs.enqueue({ kind: 'teams_message', payload: { n: 1 } });
      advance(1);
      await store.jobs.enqueue({ kind: 'slack_message', payload: { n: 2 } });
      advance(1);
      await store.jobs.enqueue({ kind: 'slack_message', payload: { n: 3 } });
      const slack = await store.jobs.claim('w', { leaseMs: minute, kinds: ['slack_message'] });
      expect(slack?.payload).toEqual({ n: 2 });
      const any = await store.jobs.claim('w', { leaseMs: minute });
      expect(any?.payload).toEqual({ n: 1 });
    });

    it('gives a crashed worker’s job to another after the lease, and fences the first', async () => {
      const { status } = await store.jobs.enqueue({ kind: 'slack_message', payload: { q: 'x' } });
      expect(status).toBe('enqueued');
      const first = await store.jobs.claim('replica-a', { leaseMs: 30_000 });
      expect(first).toMatchObject({ attempt: 1, exhausted: false });
      advance(29_000);
      expect(await replica.jobs.claim('replica-b', { leaseMs: 30_000 })).toBeUndefined();
      advance(2_000);
      const second = await replica.jobs.claim('replica-b', { leaseMs: 30_000 });
      expect(second?.jobId).toBe(first?.jobId);
      expect(second?.attempt).toBe(2);
      // The first worker comes back: it can neither finish nor fail the job any more.
      expect(await store.jobs.complete(first!)).toBe(false);
      expect(await store.jobs.fail(first!, new Error('late'))).toEqual({ status: 'lost' });
      expect(await store.jobs.renew(first!, 30_000)).toBe(false);
      expect(await replica.jobs.renew(second!, 30_000)).toBe(true);
      advance(20_000);
      expect(await store.jobs.claim('replica-a', { leaseMs: 30_000 })).toBeUndefined();
      expect(await replica.jobs.complete(second!)).toBe(true);
      expect((await store.jobs.get(first!.jobId))?.status).toBe('done');
    });

    it('retries with exponential backoff and marks the job dead after the last attempt', async () => {
      await store.jobs.enqueue({ kind: 'slack_message', payload: {}, maxAttempts: 3 });
      const first = await store.jobs.claim('w', { leaseMs: minute });
      const retry = await store.jobs.fail(first!, new Error('Slack said ratelimited'));
      expect(retry).toMatchObject({ status: 'retrying', attempt: 1 });
      expect((retry as { runAfter: Date }).runAfter.getTime() - clock.getTime()).toBe(1_000);
      expect(await store.jobs.claim('w', { leaseMs: minute })).toBeUndefined();
      advance(1_000);
      const second = await replica.jobs.claim('w2', { leaseMs: minute });
      expect(second?.attempt).toBe(2);
      const again = await replica.jobs.fail(second!, 'still failing');
      expect((again as { runAfter: Date }).runAfter.getTime() - clock.getTime()).toBe(2_000);
      advance(2_000);
      const third = await store.jobs.claim('w', { leaseMs: minute });
      expect(third).toMatchObject({ attempt: 3, exhausted: false });
      expect(await store.jobs.fail(third!, new Error('gone'))).toEqual({ status: 'dead', attempt: 3 });
      advance(day);
      expect(await store.jobs.claim('w', { leaseMs: minute })).toBeUndefined();
      const record = await store.jobs.get(third!.jobId);
      expect(record).toMatchObject({ status: 'dead', attempts: 3, lastError: 'Error: gone' });
    });

    it('takes a job handed back (shutdown) again at once, without counting the attempt', async () => {
      await store.jobs.enqueue({ kind: 'slack_message', payload: {} });
      const held = await store.jobs.claim('stopping', { leaseMs: 10 * minute });
      expect(await store.jobs.release(held!)).toBe(true);
      expect(await store.jobs.release(held!)).toBe(false);
      const again = await replica.jobs.claim('other', { leaseMs: minute });
      expect(again).toMatchObject({ jobId: held!.jobId, attempt: 1 });
    });

    it('hands a job whose last attempt crashed back as exhausted, for the apology only', async () => {
      await store.jobs.enqueue({ kind: 'slack_message', payload: {}, maxAttempts: 1 });
      const only = await store.jobs.claim('w', { leaseMs: minute });
      expect(only).toMatchObject({ attempt: 1, exhausted: false });
      advance(2 * minute);
      const reclaimed = await replica.jobs.claim('w2', { leaseMs: minute });
      expect(reclaimed).toMatchObject({ attempt: 2, exhausted: true });
      expect(await replica.jobs.fail(reclaimed!, 'lease expired on the last attempt')).toMatchObject({
        status: 'dead',
      });
    });

    it('delivers at most once: one send key, one sender, released only after a failed send', async () => {
      const enqueued = await store.jobs.enqueue({ kind: 'slack_message', payload: {} });
      const job = { jobId: (enqueued as { jobId: string }).jobId };
      const sends = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          (index % 2 === 0 ? store : replica).jobs.claimSend(job, `${job.jobId}:answer:0`),
        ),
      );
      expect(sends.filter(Boolean)).toHaveLength(1);
      // Looking claims nothing: a replica that dies after a look leaves the key free.
      expect(await replica.jobs.sendTaken(`${job.jobId}:answer:0`)).toBe(true);
      expect(await replica.jobs.sendTaken(`${job.jobId}:other:0`)).toBe(false);
      expect(await replica.jobs.sendTaken(`${job.jobId}:other:0`)).toBe(false);
      await store.jobs.releaseSend(`${job.jobId}:answer:0`);
      expect(await store.jobs.sendTaken(`${job.jobId}:answer:0`)).toBe(false);
      expect(await replica.jobs.claimSend(job, `${job.jobId}:answer:0`)).toBe(true);
      await replica.jobs.confirmSend(`${job.jobId}:answer:0`, { ts: '1700.9' });
      await store.jobs.releaseSend(`${job.jobId}:answer:0`);
      expect(await store.jobs.claimSend(job, `${job.jobId}:answer:0`)).toBe(false);
      const [row] = await store.sql.query<{ detail: unknown }>('SELECT detail FROM job_sends');
      expect(row?.detail).toEqual({ ts: '1700.9' });
    });

    it('purges finished jobs after they have been kept a while', async () => {
      await store.jobs.enqueue({ kind: 'k', payload: {} });
      const job = await store.jobs.claim('w', { leaseMs: minute });
      await store.jobs.complete(job!);
      expect(await store.jobs.purgeFinished(new Date(clock.getTime() - 1))).toBe(0);
      advance(8 * day);
      expect((await store.purgeExpired()).finishedJobs).toBe(1);
    });
  });

  describe('Teams memory', () => {
    it('keeps conversation references and what each sent message answered, for any replica', async () => {
      const reference = {
        conversation: { id: '19:abc' },
        serviceUrl: 'http://127.0.0.1:1/',
        activityId: 'a1',
      };
      await store.teams.saveReference('teams:19:abc', reference);
      expect(await replica.teams.getReference('teams:19:abc')).toEqual(reference);
      await store.teams.saveReference('teams:19:abc', { ...reference, activityId: 'a2' });
      expect(await replica.teams.getReference('teams:19:abc')).toMatchObject({ activityId: 'a2' });
      await store.teams.rememberSentAnswer('activity-1', {
        question: 'How do I start a lab?',
        conversationId: 'teams:19:abc',
        citedIds: ['toolkit-a', 'case-b'],
        answer: 'Start small [1].',
      });
      expect(await replica.teams.recallSentAnswer('activity-1')).toEqual({
        question: 'How do I start a lab?',
        conversationId: 'teams:19:abc',
        citedIds: ['toolkit-a', 'case-b'],
        answer: 'Start small [1].',
      });
      expect(await replica.teams.recallSentAnswer(undefined)).toBeUndefined();
      expect(await replica.teams.recallSentAnswer('unknown')).toBeUndefined();
    });
  });

  describe('shared answers', () => {
    const answer: Answer = {
      status: 'answered',
      intent: 'question',
      text: 'Try a citizens’ assembly [1].',
      citations: [{ id: 'toolkit-a', type: 'toolkit', title: 'Assemblies' }],
      recommendedMethods: [],
      peerCases: [],
      skills: [],
      portfolio: [],
      followUps: [],
    };

    it('gives a kept answer to exactly one of several concurrent shares', async () => {
      const shareId = await store.sharedAnswers.keep({
        answer,
        question: 'assemblies?',
        conversationId: 'c',
      });
      const takes = await Promise.all([
        store.sharedAnswers.take(shareId),
        replica.sharedAnswers.take(shareId),
        replica.sharedAnswers.take(shareId),
      ]);
      const taken = takes.filter((take) => take !== undefined);
      expect(taken).toHaveLength(1);
      expect(taken[0]).toEqual({ answer, question: 'assemblies?', conversationId: 'c' });
    });

    it('refuses an expired share', async () => {
      const shareId = await store.sharedAnswers.keep({ answer, question: 'q', conversationId: 'c' });
      advance(31 * minute);
      expect(await replica.sharedAnswers.get(shareId)).toBeUndefined();
      expect(await replica.sharedAnswers.take(shareId)).toBeUndefined();
    });

    it('lets a share job read a kept answer without using it up, until it is taken', async () => {
      const shareId = await store.sharedAnswers.keep({ answer, question: 'q', conversationId: 'c' });
      expect(await replica.sharedAnswers.get(shareId)).toEqual({
        answer,
        question: 'q',
        conversationId: 'c',
      });
      expect(await store.sharedAnswers.get(shareId)).toBeDefined();
      expect(await store.sharedAnswers.take(shareId)).toBeDefined();
      expect(await replica.sharedAnswers.get(shareId)).toBeUndefined();
    });
  });

  describe('feedback and case submissions', () => {
    it('records feedback with the user hashed and lists it since a date', async () => {
      await store.feedback.record({ channel: 'slack', user: 'U123', rating: 'helpful', question: 'labs?' });
      advance(day);
      const since = clock;
      await replica.feedback.record({
        channel: 'teams',
        user: 'aad-1',
        rating: 'not_helpful',
        comment: 'Too generic',
        question: 'foresight in schools?',
        citedIds: ['toolkit-x'],
        conversationId: 'teams:c',
        answer: `Foresight in schools: ${'x'.repeat(10_000)}`,
        answerLink: 'https://psi.slack.com/archives/C1/p1710000000000100',
      });
      const recent = await store.feedback.since(since);
      expect(recent).toHaveLength(1);
      // A runaway answer is kept cut, not refused.
      expect(recent[0]!.answer).toHaveLength(keptAnswerLength);
      expect(recent[0]).toMatchObject({
        channel: 'teams',
        rating: 'not_helpful',
        comment: 'Too generic',
        citedIds: ['toolkit-x'],
        answer: expect.stringMatching(/^Foresight in schools: x+$/),
        answerLink: 'https://psi.slack.com/archives/C1/p1710000000000100',
        userHash: createHmac('sha256', salt).update('aad-1').digest('hex'),
      });
      expect(JSON.stringify(await store.feedback.since(new Date(0)))).not.toContain('U123');
    });

    it('validates, stores and reviews case submissions; a second decision is refused', async () => {
      const invalid = await store.caseSubmissions.submit(
        { ...validCase, link: 'ftp://x' },
        { channel: 'slack' },
      );
      expect(invalid).toEqual({ ok: false, problems: { link: 'The link must be a full http(s) URL.' } });
      const submitted = await store.caseSubmissions.submit(validCase, { channel: 'slack', user: 'U9' });
      expect(submitted).toMatchObject({ ok: true, duplicate: false });
      const submissionId = (submitted as { submissionId: string }).submissionId;
      expect(await replica.caseSubmissions.list({ status: 'to_review' })).toMatchObject([
        { submissionId, status: 'to_review', submittedBy: 'U9', ...validCase },
      ]);
      const accepted = await replica.caseSubmissions.review(submissionId, {
        status: 'accepted',
        reviewedBy: 'curator-1',
        entryId: 'brazil-porto-alegre-budgeting',
      });
      expect(accepted).toMatchObject({
        ok: true,
        submission: { status: 'accepted', reviewedBy: 'curator-1' },
      });
      const second = await store.caseSubmissions.review(submissionId, { status: 'rejected' });
      expect(second).toMatchObject({
        ok: false,
        reason: 'already_reviewed',
        submission: { status: 'accepted' },
      });
      expect(await store.caseSubmissions.review('missing', { status: 'rejected' })).toEqual({
        ok: false,
        reason: 'not_found',
      });
      expect(await store.caseSubmissions.list({ status: 'to_review' })).toEqual([]);
      expect((await store.caseSubmissions.get(submissionId))?.entryId).toBe('brazil-porto-alegre-budgeting');
    });

    it('stores a retried submission (same key) once', async () => {
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, index) =>
          (index % 2 === 0 ? store : replica).caseSubmissions.submit(
            validCase,
            { channel: 'slack' },
            { submissionKey: 'view:V1' },
          ),
        ),
      );
      const ids = new Set(results.map((result) => (result as { submissionId: string }).submissionId));
      expect(ids.size).toBe(1);
      expect(results.filter((result) => result.ok && !result.duplicate)).toHaveLength(1);
      expect(await store.caseSubmissions.list()).toHaveLength(1);
    });

    it('imports the JSONL review queue of earlier versions once, and keeps the files', async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'navigator-jsonl-'));
      const paths = feedbackPaths(dataDir);
      await mkdir(paths.directory, { recursive: true });
      await writeFile(
        paths.feedback,
        [
          JSON.stringify({
            channel: 'slack',
            rating: 'not_helpful',
            question: 'q1',
            receivedAt: '2029-12-01T00:00:00Z',
          }),
          'not json',
          JSON.stringify({
            channel: 'teams',
            rating: 'helpful',
            user: 'U1',
            receivedAt: '2029-12-02T00:00:00Z',
          }),
          '',
        ].join('\n'),
      );
      await writeFile(
        paths.caseSubmissions,
        `${JSON.stringify({ ...validCase, channel: 'teams', receivedAt: '2029-12-03T00:00:00Z' })}\n`,
      );
      const first = await importReviewQueueFiles(dataDir, store.feedback, store.caseSubmissions, clock);
      expect(first).toEqual({ feedback: 2, caseSubmissions: 1, skipped: 1 });
      const again = await importReviewQueueFiles(dataDir, replica.feedback, replica.caseSubmissions, clock);
      expect(again).toEqual({ feedback: 0, caseSubmissions: 0, skipped: 1 });
      const feedback = await store.feedback.since(new Date('2029-01-01T00:00:00Z'));
      expect(feedback.map((record) => record.receivedAt.toISOString())).toEqual([
        '2029-12-02T00:00:00.000Z',
        '2029-12-01T00:00:00.000Z',
      ]);
      expect((await store.caseSubmissions.list())[0]).toMatchObject({
        channel: 'teams',
        status: 'to_review',
      });
      await rm(dataDir, { recursive: true, force: true });
    });
  });

  describe('question log', () => {
    it('keeps the user only as a salted hash', async () => {
      await store.questionLog.record({
        channel: 'slack',
        intent: 'peer_cases',
        status: 'answered',
        topic: 'Peer cases on school meals',
        citedIds: ['case-1', 'case-2'],
        latencyMs: 812.4,
        language: 'en',
        user: 'U0SECRET',
      });
      const [entry] = await replica.questionLog.since(new Date(0));
      expect(entry).toMatchObject({
        channel: 'slack',
        intent: 'peer_cases',
        status: 'answered',
        citedIds: ['case-1', 'case-2'],
        latencyMs: 812,
        language: 'en',
        userHash: createHmac('sha256', salt).update('U0SECRET').digest('hex'),
      });
      const rows = await store.sql.query('SELECT * FROM question_log');
      expect(JSON.stringify(rows)).not.toContain('U0SECRET');
    });

    it('gives a person their own latest questions in one channel, newest first, each once', async () => {
      const asked = (user: string, topic: string, minutesAgo: number, channel = 'slack') =>
        store.questionLog.record({
          channel,
          intent: 'question',
          status: 'answered',
          topic,
          citedIds: [],
          latencyMs: 5,
          user,
          askedAt: new Date(clock.getTime() - minutesAgo * 60_000),
        });
      await asked('U1', 'What is foresight?', 30);
      await asked('U1', 'Who has made benefits proactive?', 20);
      await asked('U2', 'Someone else asked this', 10);
      await asked('U1', 'What is foresight?', 5);
      await asked('U1', 'Asked in Teams', 1, 'teams');
      expect(await replica.questionLog.recentOf('slack', 'U1')).toEqual([
        'What is foresight?',
        'Who has made benefits proactive?',
      ]);
      expect(await replica.questionLog.recentOf('slack', 'U3')).toEqual([]);
    });

    it('purges entries older than the retention (90 days by default)', async () => {
      const entry = {
        channel: 'teams',
        intent: 'question',
        status: 'answered',
        citedIds: [],
        latencyMs: 5,
      } as const;
      await store.questionLog.record({ ...entry, askedAt: new Date(clock.getTime() - 91 * day) });
      await store.questionLog.record({ ...entry, askedAt: new Date(clock.getTime() - 89 * day) });
      expect(await replica.questionLog.purge()).toBe(1);
      expect(await store.questionLog.since(new Date(0))).toHaveLength(1);
    });

    it('reports gaps: no-match questions and 👎 answers grouped by topic, since a date', async () => {
      const noMatch = (topic: string) =>
        store.questionLog.record({
          channel: 'slack',
          intent: 'question',
          status: 'no_match',
          topic,
          citedIds: [],
          latencyMs: 3,
        });
      await noMatch('Old gap');
      advance(day);
      const since = clock;
      await noMatch('Behavioural insights in tax collection?');
      await noMatch('behavioural   insights in TAX collection');
      await noMatch('Foresight for ministries');
      await store.questionLog.record({
        channel: 'slack',
        intent: 'question',
        status: 'answered',
        topic: 'Answered fine',
        citedIds: ['x'],
        latencyMs: 3,
      });
      advance(1);
      await replica.feedback.record({
        channel: 'teams',
        rating: 'not_helpful',
        question: 'Foresight for ministries.',
      });
      await replica.feedback.record({ channel: 'teams', rating: 'helpful', question: 'Answered fine' });
      advance(minute);
      await replica.feedback.record({
        channel: 'teams',
        rating: 'not_helpful',
        question: 'Open data portals',
      });
      const gaps = await replica.questionLog.gaps(since);
      expect(
        gaps.map(({ topic, noMatch: none, notHelpful, total }) => ({ topic, none, notHelpful, total })),
      ).toEqual([
        { topic: 'foresight for ministries', none: 1, notHelpful: 1, total: 2 },
        { topic: 'behavioural insights in tax collection', none: 2, notHelpful: 0, total: 2 },
        { topic: 'open data portals', none: 0, notHelpful: 1, total: 1 },
      ]);
      expect(gaps[0]?.lastSeenAt).toBeInstanceOf(Date);
    });
  });

  describe('channel state', () => {
    it('knows engaged threads, channel settings and hand-offs on every replica', async () => {
      await store.engagedThreads.engage('slack:C1:1700.1', { ttlMs: hour });
      expect(await replica.engagedThreads.isEngaged('slack:C1:1700.1')).toBe(true);
      expect(await replica.engagedThreads.isEngaged('slack:C1:1800.1')).toBe(false);
      advance(hour + 1);
      expect(await replica.engagedThreads.isEngaged('slack:C1:1700.1')).toBe(false);

      await store.channelSettings.set('slack:C1', { region: 'Europe', private: true }, 'U1');
      expect(await replica.channelSettings.get('slack:C1')).toEqual({ region: 'Europe', private: true });
      expect(await replica.channelSettings.get('slack:C2')).toBeUndefined();

      const handOff = await store.handOffs.create({
        channel: 'slack',
        sourceConversation: 'slack:C1:1700.1',
        payload: { question: 'q', answer: 'a' },
      });
      await store.handOffs.attachCuratorConversation(handOff.handOffId, 'slack:CURATORS:1900.1');
      const found = await replica.handOffs.findByCuratorConversation('slack:CURATORS:1900.1');
      expect(found).toMatchObject({
        handOffId: handOff.handOffId,
        status: 'open',
        payload: { question: 'q' },
      });
      expect(await replica.handOffs.setStatus(handOff.handOffId, 'answered')).toBe(true);
    });

    it('keeps one web hand-off per turn, lists them oldest first and takes one reply only', async () => {
      const ask = (turn: string, index: number) =>
        (index % 2 === 0 ? store : replica).handOffs.createOnce({
          channel: 'web',
          sourceConversation: 'web:conversation-1',
          sourceKey: `web:turn:${turn}`,
          payload: { turnId: turn, question: `question ${turn}`, answer: 'a' },
        });
      const clicks = await Promise.all(Array.from({ length: 6 }, (_, index) => ask('t1', index)));
      expect(clicks.filter((click) => click.created)).toHaveLength(1);
      expect(new Set(clicks.map((click) => click.handOff.handOffId)).size).toBe(1);
      advance(minute);
      const second = await ask('t2', 1);
      await store.handOffs.create({ channel: 'slack', sourceConversation: 'slack:C1:1.1', payload: {} });

      expect((await replica.handOffs.list('web')).map((handOff) => handOff.sourceKey)).toEqual([
        'web:turn:t1',
        'web:turn:t2',
      ]);
      const first = clicks[0]!.handOff;
      const replies = await Promise.all([
        store.handOffs.reply(first.handOffId, { text: 'See the Porto Alegre case.', repliedBy: 'Ana' }),
        replica.handOffs.reply(first.handOffId, { text: 'A second reply.', repliedBy: 'Ben' }),
      ]);
      expect(replies.filter((result) => result.ok)).toHaveLength(1);
      expect(replies.find((result) => !result.ok)).toEqual({ ok: false, reason: 'not_open' });
      expect(await store.handOffs.reply('no-such-hand-off', { text: 'x' })).toEqual({
        ok: false,
        reason: 'not_found',
      });
      const answered = await replica.handOffs.get(first.handOffId);
      const winner = replies.find((result) => result.ok);
      expect(answered).toMatchObject({
        status: 'answered',
        reply: winner?.ok ? winner.handOff.reply : 'none',
        answeredAt: clock,
      });
      expect((await store.handOffs.list('web', { status: 'open' })).map((h) => h.handOffId)).toEqual([
        second.handOff.handOffId,
      ]);
      expect((await store.handOffs.list('web', { status: 'answered' }))[0]?.handOffId).toBe(first.handOffId);
      const ofConversation = await replica.handOffs.listBySourceConversation('web:conversation-1');
      expect(ofConversation.map((handOff) => handOff.status)).toEqual(['answered', 'open']);
      expect(await store.handOffs.listBySourceConversation('web:conversation-2')).toEqual([]);
    });

    it('holds a rate limit across replicas', async () => {
      const decisions = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          (index % 2 === 0 ? store : replica).rateLimits.hit('user:U1', 6, minute),
        ),
      );
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(6);
      expect(decisions.find((decision) => !decision.allowed)?.retryAfterMs).toBe(minute);
      advance(minute);
      expect((await store.rateLimits.hit('user:U1', 6, minute)).allowed).toBe(true);
    });

    it('gives a due digest to one replica only, and schedules the next', async () => {
      await store.digestSubscriptions.subscribe('slack:C1', 'weekly', 'U1');
      expect(await store.digestSubscriptions.claimDue(minute)).toEqual([]);
      advance(7 * day);
      const [first, second] = await Promise.all([
        store.digestSubscriptions.claimDue(10 * minute),
        replica.digestSubscriptions.claimDue(10 * minute),
      ]);
      expect([...first, ...second]).toHaveLength(1);
      await store.digestSubscriptions.markSent('slack:C1');
      const [subscription] = await replica.digestSubscriptions.list();
      expect(subscription?.lastSentAt?.getTime()).toBe(clock.getTime());
      expect(subscription?.nextDueAt.getTime()).toBe(clock.getTime() + 7 * day);
      expect(await store.digestSubscriptions.unsubscribe('slack:C1')).toBe(true);
    });

    it('keeps what a digest subscription was told, also when its period changes', async () => {
      await store.digestSubscriptions.subscribe('teams:19:abc', 'weekly', 'U1', { 'case-a': 'h1' });
      const subscribed = await replica.digestSubscriptions.get('teams:19:abc');
      expect(subscribed).toMatchObject({
        period: 'weekly',
        subscribedAt: clock,
        entryHashes: { 'case-a': 'h1' },
      });
      expect(subscribed?.lastSentAt).toBeUndefined();
      expect(
        await replica.digestSubscriptions.saveEntryHashes('teams:19:abc', { 'case-a': 'h2', 'case-b': 'h3' }),
      ).toBe(true);
      advance(day);
      // A new period starts from now, but what the channel was told stays.
      await store.digestSubscriptions.subscribe('teams:19:abc', 'monthly', 'U2', { 'case-a': 'h9' });
      expect(await replica.digestSubscriptions.get('teams:19:abc')).toMatchObject({
        period: 'monthly',
        nextDueAt: new Date(clock.getTime() + 30 * day),
        entryHashes: { 'case-a': 'h2', 'case-b': 'h3' },
      });
      expect(await store.digestSubscriptions.unsubscribe('teams:19:abc')).toBe(true);
      expect(await store.digestSubscriptions.saveEntryHashes('teams:19:abc', {})).toBe(false);
      expect(await replica.digestSubscriptions.get('teams:19:abc')).toBeUndefined();
    });
  });
});
