import {
  jsonParameter,
  type SqlSession,
  nullable,
  readJson,
  readOptionalTime,
  readTime,
  timeParameter,
  type JsonValue,
  type SqlEngine,
} from './sql-engine.js';

// State the channels share across replicas for threads, settings, limits and digests (migration
// 2; hand-offs are in hand-offs.ts). Each write that two replicas may race for is one atomic
// statement.

/** Threads the bot has answered in, so a follow-up without a mention is recognised by every replica. */
export interface EngagedThreads {
  engage(threadKey: string, options?: { ttlMs?: number }): Promise<void>;
  isEngaged(threadKey: string): Promise<boolean>;
}

/** Per-channel settings (default filters, private answers, off), as the channel adapter defines them. */
export interface ChannelSettingsStore {
  get(channelKey: string): Promise<JsonValue | undefined>;
  set(channelKey: string, settings: JsonValue, updatedBy?: string): Promise<void>;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Hits left in this window after this one. */
  remaining: number;
  /** When refused: how long until the window resets. */
  retryAfterMs: number;
}

/** One counter: at most `limit` hits on `key` per fixed window of `windowMs`. */
export interface RateLimit {
  key: string;
  limit: number;
  windowMs: number;
}

/** The verdict on several limits: the first that refused, and how long until its window resets. */
export type RateLimitsVerdict =
  { allowed: true } | { allowed: false; refused: RateLimit; retryAfterMs: number };

/** Fixed-window counters shared by every replica. */
export interface RateLimits {
  /** Counts one hit on `limitKey` and says whether it is within `limit` per `windowMs`. */
  hit(limitKey: string, limit: number, windowMs: number): Promise<RateLimitDecision>;
  /**
   * Counts a hit on each limit in order and stops at the first that refuses, so a refused hit on
   * one (a person's) does not use up the later ones (their channel's).
   */
  hitEach(limits: readonly RateLimit[]): Promise<RateLimitsVerdict>;
}

/** One hit on `limit` at `now`, on `session` (the engine or a transaction): one atomic upsert. */
export async function hitRateLimit(
  session: SqlSession,
  { key, limit, windowMs }: RateLimit,
  now: number,
): Promise<RateLimitDecision> {
  const windowStart = now - (now % windowMs);
  const windowEnd = windowStart + windowMs;
  const rows = await session.query<{ hits: number }>(
    `INSERT INTO rate_limit_windows (limit_key, window_start, hits, expires_at)
     VALUES ($1, $2::timestamptz, 1, $3::timestamptz)
     ON CONFLICT (limit_key, window_start) DO UPDATE SET hits = rate_limit_windows.hits + 1
     RETURNING hits`,
    [key, timeParameter(new Date(windowStart)), timeParameter(new Date(windowEnd))],
  );
  const hits = rows[0]?.hits ?? 1;
  const allowed = hits <= limit;
  return { allowed, remaining: Math.max(0, limit - hits), retryAfterMs: allowed ? 0 : windowEnd - now };
}

/** `hitEach` on `session`: the limits in order, stopping at the first refusal. */
export async function hitRateLimits(
  session: SqlSession,
  limits: readonly RateLimit[],
  now: number,
): Promise<RateLimitsVerdict> {
  for (const limit of limits) {
    const decision = await hitRateLimit(session, limit, now);
    if (!decision.allowed) return { allowed: false, refused: limit, retryAfterMs: decision.retryAfterMs };
  }
  return { allowed: true };
}

export type DigestPeriod = 'weekly' | 'monthly';

/** Knowledge entry id → content hash: what a channel's digests have told it about (migration 4). */
export type EntryHashes = Record<string, string>;

export interface DigestSubscription {
  channelKey: string;
  period: DigestPeriod;
  subscribedAt: Date;
  lastSentAt?: Date;
  nextDueAt: Date;
  /** The knowledge base as of the last digest (or of subscribing); absent on rows older than migration 4. */
  entryHashes?: EntryHashes;
}

/** Digest subscriptions; a due digest is claimed by one replica only. */
export interface DigestSubscriptions {
  /**
   * Subscribes (or changes the period, keeping what the channel was told so far); `entryHashes`
   * is the knowledge base now, against which the first digest is compared.
   */
  subscribe(
    channelKey: string,
    period: DigestPeriod,
    subscribedBy?: string,
    entryHashes?: EntryHashes,
  ): Promise<void>;
  unsubscribe(channelKey: string): Promise<boolean>;
  list(): Promise<DigestSubscription[]>;
  get(channelKey: string): Promise<DigestSubscription | undefined>;
  /** Takes the due subscriptions for `leaseMs`; another replica gets none of them meanwhile. */
  claimDue(leaseMs: number): Promise<DigestSubscription[]>;
  /** Records a digest as posted and schedules the next one. */
  markSent(channelKey: string): Promise<void>;
  /** Keeps what the digest just posted told the channel; false when it was unsubscribed meanwhile. */
  saveEntryHashes(channelKey: string, entryHashes: EntryHashes): Promise<boolean>;
}

const periodMs: Record<DigestPeriod, number> = {
  weekly: 7 * 24 * 60 * 60 * 1000,
  monthly: 30 * 24 * 60 * 60 * 1000,
};

export class SqlEngagedThreads implements EngagedThreads {
  constructor(
    private readonly engine: SqlEngine,
    private readonly now: () => Date,
  ) {}

  async engage(threadKey: string, options: { ttlMs?: number } = {}): Promise<void> {
    const now = this.now();
    const expiresAt = new Date(now.getTime() + (options.ttlMs ?? 7 * 24 * 60 * 60 * 1000));
    await this.engine.query(
      `INSERT INTO engaged_threads (thread_key, engaged_at, expires_at)
       VALUES ($1, $2::timestamptz, $3::timestamptz)
       ON CONFLICT (thread_key) DO UPDATE
         SET engaged_at = EXCLUDED.engaged_at, expires_at = EXCLUDED.expires_at`,
      [threadKey, timeParameter(now), timeParameter(expiresAt)],
    );
  }

  async isEngaged(threadKey: string): Promise<boolean> {
    const rows = await this.engine.query(
      'SELECT 1 FROM engaged_threads WHERE thread_key = $1 AND expires_at > $2::timestamptz',
      [threadKey, timeParameter(this.now())],
    );
    return rows.length > 0;
  }
}

export class SqlChannelSettings implements ChannelSettingsStore {
  constructor(
    private readonly engine: SqlEngine,
    private readonly now: () => Date,
  ) {}

  async get(channelKey: string): Promise<JsonValue | undefined> {
    const rows = await this.engine.query<{ settings: unknown }>(
      'SELECT settings FROM channel_settings WHERE channel_key = $1',
      [channelKey],
    );
    return rows[0] ? readJson<JsonValue>(rows[0].settings) : undefined;
  }

  async set(channelKey: string, settings: JsonValue, updatedBy?: string): Promise<void> {
    await this.engine.query(
      `INSERT INTO channel_settings (channel_key, settings, updated_by, updated_at)
       VALUES ($1, $2::jsonb, $3, $4::timestamptz)
       ON CONFLICT (channel_key) DO UPDATE SET settings = EXCLUDED.settings, updated_by = EXCLUDED.updated_by,
         updated_at = EXCLUDED.updated_at`,
      [channelKey, jsonParameter(settings), nullable(updatedBy), timeParameter(this.now())],
    );
  }
}

export class SqlRateLimits implements RateLimits {
  constructor(
    private readonly engine: SqlEngine,
    private readonly now: () => Date,
  ) {}

  hit(limitKey: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    return hitRateLimit(this.engine, { key: limitKey, limit, windowMs }, this.now().getTime());
  }

  hitEach(limits: readonly RateLimit[]): Promise<RateLimitsVerdict> {
    const now = this.now().getTime();
    return this.engine.transaction((session) => hitRateLimits(session, limits, now));
  }

  /** Deletes finished windows; returns how many. */
  async purgeExpired(): Promise<number> {
    const rows = await this.engine.query(
      'DELETE FROM rate_limit_windows WHERE expires_at <= $1::timestamptz RETURNING limit_key',
      [timeParameter(this.now())],
    );
    return rows.length;
  }
}

interface DigestRow {
  channel_key: string;
  period: DigestPeriod;
  subscribed_at: unknown;
  last_sent_at: unknown;
  next_due_at: unknown;
  entry_hashes: unknown;
}

const digestFromRow = (row: DigestRow): DigestSubscription => ({
  channelKey: row.channel_key,
  period: row.period,
  subscribedAt: readTime(row.subscribed_at),
  lastSentAt: readOptionalTime(row.last_sent_at),
  nextDueAt: readTime(row.next_due_at),
  entryHashes:
    row.entry_hashes === null || row.entry_hashes === undefined
      ? undefined
      : readJson<EntryHashes>(row.entry_hashes),
});

export class SqlDigestSubscriptions implements DigestSubscriptions {
  constructor(
    private readonly engine: SqlEngine,
    private readonly now: () => Date,
  ) {}

  async subscribe(
    channelKey: string,
    period: DigestPeriod,
    subscribedBy?: string,
    entryHashes?: EntryHashes,
  ): Promise<void> {
    const now = this.now();
    await this.engine.query(
      `INSERT INTO digest_subscriptions
         (channel_key, period, subscribed_by, subscribed_at, next_due_at, entry_hashes)
       VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz, $6::jsonb)
       ON CONFLICT (channel_key) DO UPDATE
         SET period = EXCLUDED.period, subscribed_by = EXCLUDED.subscribed_by,
         next_due_at = EXCLUDED.next_due_at,
         entry_hashes = COALESCE(digest_subscriptions.entry_hashes, EXCLUDED.entry_hashes)`,
      [
        channelKey,
        period,
        nullable(subscribedBy),
        timeParameter(now),
        timeParameter(new Date(now.getTime() + periodMs[period])),
        entryHashes ? jsonParameter(entryHashes) : null,
      ],
    );
  }

  async unsubscribe(channelKey: string): Promise<boolean> {
    const rows = await this.engine.query(
      'DELETE FROM digest_subscriptions WHERE channel_key = $1 RETURNING channel_key',
      [channelKey],
    );
    return rows.length === 1;
  }

  async list(): Promise<DigestSubscription[]> {
    const rows = await this.engine.query<DigestRow>(
      'SELECT * FROM digest_subscriptions ORDER BY channel_key',
    );
    return rows.map(digestFromRow);
  }

  async get(channelKey: string): Promise<DigestSubscription | undefined> {
    const rows = await this.engine.query<DigestRow>(
      'SELECT * FROM digest_subscriptions WHERE channel_key = $1',
      [channelKey],
    );
    return rows[0] ? digestFromRow(rows[0]) : undefined;
  }

  async claimDue(leaseMs: number): Promise<DigestSubscription[]> {
    const now = this.now();
    const rows = await this.engine.query<DigestRow>(
      `UPDATE digest_subscriptions SET claimed_until = $2::timestamptz
       WHERE channel_key IN (
         SELECT channel_key FROM digest_subscriptions
         WHERE next_due_at <= $1::timestamptz AND (claimed_until IS NULL OR claimed_until <= $1::timestamptz)
         FOR UPDATE SKIP LOCKED
       )
       RETURNING *`,
      [timeParameter(now), timeParameter(new Date(now.getTime() + leaseMs))],
    );
    return rows.map(digestFromRow);
  }

  async markSent(channelKey: string): Promise<void> {
    const now = this.now();
    await this.engine.query(
      `UPDATE digest_subscriptions SET last_sent_at = $2::timestamptz, claimed_until = NULL,
         next_due_at = $2::timestamptz
           + (CASE WHEN period = 'weekly' THEN interval '7 days' ELSE interval '1 month' END)
       WHERE channel_key = $1`,
      [channelKey, timeParameter(now)],
    );
  }

  async saveEntryHashes(channelKey: string, entryHashes: EntryHashes): Promise<boolean> {
    const rows = await this.engine.query(
      `UPDATE digest_subscriptions SET entry_hashes = $2::jsonb WHERE channel_key = $1
       RETURNING channel_key`,
      [channelKey, jsonParameter(entryHashes)],
    );
    return rows.length === 1;
  }
}
