import { randomUUID } from 'node:crypto';
import { hitRateLimits, type RateLimit } from './channel-state.js';
import { claimDeliveryKeys, defaultDeliveryKeyTtlMs } from './delivery-keys.js';
import {
  jsonParameter,
  readJson,
  readOptionalText,
  readTime,
  timeParameter,
  type JsonValue,
  type SqlEngine,
} from './sql-engine.js';

// Durable answers: an accepted event is stored as a job before the HTTP acknowledgement, and any
// replica answers it. A claim takes the oldest due job with SELECT … FOR UPDATE SKIP LOCKED (two
// workers never get the same row) and a lease: a worker that crashes or stops leaves the job to be
// reclaimed once locked_until has passed. Each claim gets a fresh token, so a worker whose lease
// was taken over can no longer complete or fail the job. Sends are keyed: a send key is claimed
// (insert-if-absent) before the message goes out, so a job is delivered at most once even when two
// workers end up composing it.
// Why not pg-boss: its current major needs Node 22.12 (this project runs on Node 20) and it needs a
// PostgreSQL server with several connections, which PGlite is not; SKIP LOCKED on the store's own
// schema is one small table and works the same on both engines.

export type JobStatus = 'queued' | 'running' | 'done' | 'dead';

export interface EnqueueJob {
  /** What the worker does with it, e.g. "slack_message" or "teams_message". */
  kind: string;
  payload: JsonValue;
  /** Incoming delivery keys (event id, channel+ts) claimed in the same transaction: no job for a repeat. */
  deliveryKeys?: readonly (string | undefined)[];
  deliveryKeyTtlMs?: number;
  /**
   * Rate limits counted in the same transaction, after the delivery keys (a repeat counts nothing)
   * and before the job is stored (a refused question is never queued).
   */
  limits?: readonly RateLimit[];
  /** Attempts before the job is dead. Default 5. */
  maxAttempts?: number;
  /** Not before this time. Default now. */
  runAfter?: Date;
}

export type EnqueueResult =
  | { status: 'enqueued'; jobId: string }
  | { status: 'duplicate' }
  /** Over `refused`: nothing stored but the delivery keys and the hits, so a retry is a duplicate. */
  | { status: 'limited'; refused: RateLimit; retryAfterMs: number };

/** A job held by one worker until `lockedUntil`. */
export interface ClaimedJob {
  jobId: string;
  kind: string;
  payload: JsonValue;
  /** 1 for the first run; counts reclaims after a crash too. */
  attempt: number;
  maxAttempts: number;
  /**
   * The job has used all its attempts (its last one ended in a crash): do not run it again; send the
   * apology and call fail(), which makes it dead.
   */
  exhausted: boolean;
  lockedUntil: Date;
  claimToken: string;
  createdAt: Date;
}

export type FailResult =
  | { status: 'retrying'; runAfter: Date; attempt: number }
  | { status: 'dead'; attempt: number }
  | { status: 'lost' };

export interface JobRecord {
  jobId: string;
  kind: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAfter: Date;
  lockedBy?: string;
  lockedUntil?: Date;
  lastError?: string;
  payload: JsonValue;
}

/** The durable queue every replica works from. */
export interface JobQueue {
  /** Stores a job (and claims its delivery keys) in one transaction; acknowledge only after it resolves. */
  enqueue(job: EnqueueJob): Promise<EnqueueResult>;
  /** The oldest due job, or one whose lease has expired, leased to `workerId` for `leaseMs`. */
  claim(
    workerId: string,
    options: { leaseMs: number; kinds?: readonly string[] },
  ): Promise<ClaimedJob | undefined>;
  /** Extends the lease of a job still held; false when the lease was lost. */
  renew(job: ClaimedJob, leaseMs: number): Promise<boolean>;
  /** Marks the job done; false when the lease was lost (another worker has it now). */
  complete(job: ClaimedJob): Promise<boolean>;
  /**
   * Hands a job back unfinished (shutdown): queued again at once for any replica, and the attempt is
   * not counted. False when the lease was lost.
   */
  release(job: ClaimedJob): Promise<boolean>;
  /** Schedules a retry with backoff, or marks the job dead after its last attempt. */
  fail(job: ClaimedJob, error: unknown, options?: { retryInMs?: number }): Promise<FailResult>;
  /** Claims a send key before a message goes out: false means it was sent (or is being sent) already. */
  /** Whether a send key is claimed (sent or being sent); reads only, so a crash leaves nothing behind. */
  sendTaken(sendKey: string): Promise<boolean>;
  claimSend(job: Pick<ClaimedJob, 'jobId'>, sendKey: string): Promise<boolean>;
  /** Records that the message was delivered, with what the channel returned (e.g. its ts). */
  confirmSend(sendKey: string, detail?: JsonValue): Promise<void>;
  /** Gives a send key back after a delivery that certainly failed, so that a retry may send it. */
  releaseSend(sendKey: string): Promise<void>;
  get(jobId: string): Promise<JobRecord | undefined>;
  /** How many jobs are in each status (for readiness and the benchmark). */
  counts(): Promise<Record<JobStatus, number>>;
  /** Deletes done and dead jobs finished before `before`; returns how many. */
  purgeFinished(before: Date): Promise<number>;
}

export interface JobQueueOptions {
  /** First retry after this, doubling each attempt. Default 5 s. */
  backoffBaseMs?: number;
  /** Longest wait between attempts. Default 5 min. */
  backoffMaxMs?: number;
}

interface JobRow {
  job_id: string;
  kind: string;
  payload: unknown;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  run_after: unknown;
  claim_token: string | null;
  locked_by: string | null;
  locked_until: unknown;
  last_error: string | null;
  created_at: unknown;
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 2_000);
}

export class SqlJobQueue implements JobQueue {
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;

  constructor(
    private readonly engine: SqlEngine,
    private readonly now: () => Date,
    options: JobQueueOptions = {},
  ) {
    this.backoffBaseMs = options.backoffBaseMs ?? 5_000;
    this.backoffMaxMs = options.backoffMaxMs ?? 5 * 60 * 1000;
  }

  async enqueue(job: EnqueueJob): Promise<EnqueueResult> {
    const now = this.now();
    const jobId = randomUUID();
    return this.engine.transaction(async (session) => {
      if (job.deliveryKeys) {
        const fresh = await claimDeliveryKeys(
          session,
          job.deliveryKeys,
          now,
          job.deliveryKeyTtlMs ?? defaultDeliveryKeyTtlMs,
        );
        // Nothing is stored for a repeat: the keys it brought that were new are committed harmlessly.
        if (!fresh) return { status: 'duplicate' } as const;
      }
      if (job.limits) {
        const verdict = await hitRateLimits(session, job.limits, now.getTime());
        if (!verdict.allowed)
          return { status: 'limited', refused: verdict.refused, retryAfterMs: verdict.retryAfterMs } as const;
      }
      await session.query(
        `INSERT INTO jobs
           (job_id, kind, payload, status, attempts, max_attempts, run_after, created_at, updated_at)
         VALUES ($1, $2, $3::jsonb, 'queued', 0, $4, $5::timestamptz, $6::timestamptz, $6::timestamptz)`,
        [
          jobId,
          job.kind,
          jsonParameter(job.payload),
          job.maxAttempts ?? 5,
          timeParameter(job.runAfter ?? now),
          timeParameter(now),
        ],
      );
      return { status: 'enqueued', jobId } as const;
    });
  }

  async claim(
    workerId: string,
    options: { leaseMs: number; kinds?: readonly string[] },
  ): Promise<ClaimedJob | undefined> {
    const now = this.now();
    const claimToken = randomUUID();
    const rows = await this.engine.query<JobRow>(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1, claim_token = $1, locked_by = $2,
         locked_until = $3::timestamptz, updated_at = $4::timestamptz
       WHERE job_id = (
         SELECT job_id FROM jobs
         WHERE ((status = 'queued' AND run_after <= $4::timestamptz)
             OR (status = 'running' AND locked_until <= $4::timestamptz))
           AND ($5::jsonb IS NULL OR kind IN (SELECT jsonb_array_elements_text($5::jsonb)))
         ORDER BY run_after, created_at, job_id
         LIMIT 1
         FOR UPDATE SKIP LOCKED
       )
       RETURNING *`,
      [
        claimToken,
        workerId,
        timeParameter(new Date(now.getTime() + options.leaseMs)),
        timeParameter(now),
        options.kinds ? jsonParameter(options.kinds) : null,
      ],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      jobId: row.job_id,
      kind: row.kind,
      payload: readJson<JsonValue>(row.payload),
      attempt: row.attempts,
      maxAttempts: row.max_attempts,
      exhausted: row.attempts > row.max_attempts,
      lockedUntil: readTime(row.locked_until),
      claimToken,
      createdAt: readTime(row.created_at),
    };
  }

  async renew(job: ClaimedJob, leaseMs: number): Promise<boolean> {
    const now = this.now();
    const rows = await this.engine.query(
      `UPDATE jobs SET locked_until = $3::timestamptz, updated_at = $4::timestamptz
       WHERE job_id = $1 AND claim_token = $2 AND status = 'running' RETURNING job_id`,
      [job.jobId, job.claimToken, timeParameter(new Date(now.getTime() + leaseMs)), timeParameter(now)],
    );
    return rows.length === 1;
  }

  async complete(job: ClaimedJob): Promise<boolean> {
    const rows = await this.engine.query(
      `UPDATE jobs SET status = 'done', claim_token = NULL, locked_until = NULL,
         finished_at = $3::timestamptz,
         updated_at = $3::timestamptz
       WHERE job_id = $1 AND claim_token = $2 AND status = 'running' RETURNING job_id`,
      [job.jobId, job.claimToken, timeParameter(this.now())],
    );
    return rows.length === 1;
  }

  async release(job: ClaimedJob): Promise<boolean> {
    const now = timeParameter(this.now());
    const rows = await this.engine.query(
      `UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), run_after = $3::timestamptz,
         claim_token = NULL, locked_by = NULL, locked_until = NULL, updated_at = $3::timestamptz
       WHERE job_id = $1 AND claim_token = $2 AND status = 'running' RETURNING job_id`,
      [job.jobId, job.claimToken, now],
    );
    return rows.length === 1;
  }

  async fail(job: ClaimedJob, error: unknown, options: { retryInMs?: number } = {}): Promise<FailResult> {
    const now = this.now();
    const retryInMs =
      options.retryInMs ??
      Math.min(this.backoffBaseMs * 2 ** Math.max(0, job.attempt - 1), this.backoffMaxMs);
    const runAfter = new Date(now.getTime() + retryInMs);
    const rows = await this.engine.query<{ status: JobStatus; attempts: number }>(
      `UPDATE jobs SET
         status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
         run_after = CASE WHEN attempts >= max_attempts THEN run_after ELSE $3::timestamptz END,
         finished_at = CASE WHEN attempts >= max_attempts THEN $4::timestamptz ELSE NULL END,
         claim_token = NULL, locked_until = NULL, last_error = $5, updated_at = $4::timestamptz
       WHERE job_id = $1 AND claim_token = $2 AND status = 'running'
       RETURNING status, attempts`,
      [job.jobId, job.claimToken, timeParameter(runAfter), timeParameter(now), errorText(error)],
    );
    const row = rows[0];
    if (!row) return { status: 'lost' };
    return row.status === 'dead'
      ? { status: 'dead', attempt: row.attempts }
      : { status: 'retrying', runAfter, attempt: row.attempts };
  }

  async claimSend(job: Pick<ClaimedJob, 'jobId'>, sendKey: string): Promise<boolean> {
    const rows = await this.engine.query(
      `INSERT INTO job_sends (send_key, job_id, claimed_at) VALUES ($1, $2, $3::timestamptz)
       ON CONFLICT (send_key) DO NOTHING RETURNING send_key`,
      [sendKey, job.jobId, timeParameter(this.now())],
    );
    return rows.length === 1;
  }

  async confirmSend(sendKey: string, detail?: JsonValue): Promise<void> {
    await this.engine.query(
      'UPDATE job_sends SET sent_at = $2::timestamptz, detail = $3::jsonb WHERE send_key = $1',
      [sendKey, timeParameter(this.now()), jsonParameter(detail ?? null)],
    );
  }

  async sendTaken(sendKey: string): Promise<boolean> {
    const rows = await this.engine.query('SELECT 1 FROM job_sends WHERE send_key = $1', [sendKey]);
    return rows.length > 0;
  }

  async releaseSend(sendKey: string): Promise<void> {
    await this.engine.query('DELETE FROM job_sends WHERE send_key = $1 AND sent_at IS NULL', [sendKey]);
  }

  async get(jobId: string): Promise<JobRecord | undefined> {
    const rows = await this.engine.query<JobRow>('SELECT * FROM jobs WHERE job_id = $1', [jobId]);
    const row = rows[0];
    if (!row) return undefined;
    return {
      jobId: row.job_id,
      kind: row.kind,
      status: row.status,
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
      runAfter: readTime(row.run_after),
      lockedBy: readOptionalText(row.locked_by),
      lockedUntil: row.locked_until ? readTime(row.locked_until) : undefined,
      lastError: readOptionalText(row.last_error),
      payload: readJson<JsonValue>(row.payload),
    };
  }

  async counts(): Promise<Record<JobStatus, number>> {
    const rows = await this.engine.query<{ status: JobStatus; count: number }>(
      'SELECT status, count(*)::integer AS count FROM jobs GROUP BY status',
    );
    const counts: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, dead: 0 };
    for (const row of rows) counts[row.status] = row.count;
    return counts;
  }

  async purgeFinished(before: Date): Promise<number> {
    const rows = await this.engine.query(
      `DELETE FROM jobs WHERE status IN ('done', 'dead') AND finished_at < $1::timestamptz RETURNING job_id`,
      [timeParameter(before)],
    );
    return rows.length;
  }
}
