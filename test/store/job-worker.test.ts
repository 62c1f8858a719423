import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startJobWorker } from '../../src/store/job-worker.js';
import type { ClaimedJob } from '../../src/store/jobs.js';
import { openNavigatorStore, type SqlNavigatorStore } from '../../src/store/open-store.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/test-databases.js';

// The worker loop with real timers, on PostgreSQL with two replicas when the server is there (else on
// the embedded engine alone): every job is run once, retried when it fails, apologised for when dead,
// and handed back on stop.

const usePostgres = await postgresAvailable();

const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('the job worker', () => {
  let database: TestDatabase | undefined;
  let dataDir: string;
  let replicaA: SqlNavigatorStore;
  let replicaB: SqlNavigatorStore;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'navigator-worker-'));
    const options = { dataDir, jobs: { backoffBaseMs: 20, backoffMaxMs: 50 } };
    if (usePostgres) {
      database = await createTestDatabase();
      replicaA = await openNavigatorStore({ ...options, databaseUrl: database.url });
      replicaB = await openNavigatorStore({ ...options, databaseUrl: database.url });
    } else {
      replicaA = await openNavigatorStore(options);
      replicaB = replicaA;
    }
  });

  afterAll(async () => {
    await replicaA?.close();
    if (replicaB !== replicaA) await replicaB?.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await replicaA.sql.execute('TRUNCATE jobs, job_sends CASCADE');
  });

  it('runs every job exactly once across two replicas, sending each message once', async () => {
    const runs: string[] = [];
    const sent: string[] = [];
    const run = async (job: ClaimedJob, context: { claimSend(key: string): Promise<boolean> }) => {
      runs.push(job.jobId);
      if (await context.claimSend(`${job.jobId}:0`)) sent.push(job.jobId);
    };
    const onDead = async () => {};
    const workers = [
      startJobWorker({ jobs: replicaA.jobs, workerId: 'a', run, onDead, pollMs: 20 }),
      startJobWorker({ jobs: replicaB.jobs, workerId: 'b', run, onDead, pollMs: 20 }),
    ];
    for (let index = 0; index < 40; index++) {
      await replicaA.jobs.enqueue({ kind: 'slack_message', payload: { index } });
      workers[index % 2]!.wake();
    }
    await until(async () => (await replicaA.jobs.counts()).done === 40);
    await Promise.all(workers.map((worker) => worker.stop(1_000)));
    expect(runs).toHaveLength(40);
    expect(new Set(runs).size).toBe(40);
    expect(sent.sort()).toEqual([...runs].sort());
  });

  it('retries a failing job with backoff and apologises once when it is dead', async () => {
    let attempts = 0;
    const dead: unknown[] = [];
    const worker = startJobWorker({
      jobs: replicaA.jobs,
      workerId: 'a',
      pollMs: 10,
      run: async () => {
        attempts++;
        throw new Error('Slack is down');
      },
      onDead: async (_job, error) => {
        dead.push(error);
      },
    });
    await replicaA.jobs.enqueue({ kind: 'slack_message', payload: {}, maxAttempts: 3 });
    worker.wake();
    await until(async () => (await replicaA.jobs.counts()).dead === 1);
    await worker.stop(1_000);
    expect(attempts).toBe(3);
    expect(dead).toHaveLength(1);
    expect((dead[0] as Error).message).toBe('Slack is down');
  });

  it('hands unfinished jobs back on stop, for another replica to finish', async () => {
    let release: () => void = () => {};
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    const aborted: string[] = [];
    const first = startJobWorker({
      jobs: replicaA.jobs,
      workerId: 'a',
      pollMs: 10,
      leaseMs: 60_000,
      run: async (job, context) => {
        context.signal.addEventListener('abort', () => aborted.push(job.jobId));
        await stuck;
      },
      onDead: async () => {},
    });
    const enqueued = await replicaA.jobs.enqueue({ kind: 'slack_message', payload: {} });
    first.wake();
    await until(() => first.running === 1);
    expect(await first.stop(50)).toEqual({ finished: 0, handedBack: 1 });
    expect(aborted).toHaveLength(1);
    const jobId = (enqueued as { jobId: string }).jobId;
    expect(await replicaB.jobs.get(jobId)).toMatchObject({ status: 'queued', attempts: 0 });

    const finishedBy: string[] = [];
    const second = startJobWorker({
      jobs: replicaB.jobs,
      workerId: 'b',
      pollMs: 10,
      run: async (job) => {
        finishedBy.push(job.jobId);
      },
      onDead: async () => {},
    });
    await until(async () => (await replicaB.jobs.get(jobId))?.status === 'done');
    await second.stop(1_000);
    release();
    expect(finishedBy).toEqual([jobId]);
  });
});
