import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationState } from '../../src/assistant/conversation-store.js';
import { applyMigrations, migrations } from '../../src/store/migrations.js';
import type { SqlNavigatorStore } from '../../src/store/open-store.js';
import {
  closeContractStores,
  contractStart,
  day,
  emptyTables,
  hour,
  minute,
  openContractStores,
  storeFixtures,
} from './support/store-contract.js';

// The store contract, part one: schema, health, conversations, delivery keys and jobs, on both
// engines (see support/store-contract.ts). Part two is store-records-contract.test.ts.

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

describe.each(storeFixtures)('the store contract on the $name engine', (fixture) => {
  let clock = contractStart;
  const advance = (milliseconds: number) => {
    clock = new Date(clock.getTime() + milliseconds);
  };
  let store: SqlNavigatorStore;
  let replica: SqlNavigatorStore;

  beforeAll(async () => {
    ({ store, replica } = await openContractStores(fixture, () => clock));
  });
  afterAll(() => closeContractStores(fixture, store, replica));
  beforeEach(async () => {
    clock = contractStart;
    await emptyTables(store);
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
});
