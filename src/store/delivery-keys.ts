import { jsonParameter, timeParameter, type SqlEngine, type SqlSession } from './sql-engine.js';

// How a replica recognises a delivery that any replica has already taken: Slack retries an event
// (same event_id) and sends a mention twice (app_mention and message, same channel and ts). Each
// key is claimed with one atomic insert-if-absent, so of two replicas racing for a key exactly one
// wins; a key whose time is up counts as absent again.

/** Slack retries for about five minutes; an hour leaves a wide margin. */
export const defaultDeliveryKeyTtlMs = 60 * 60 * 1000;

/** Insert-if-absent keys for incoming deliveries, shared by every replica. */
export interface DeliveryKeys {
  /**
   * True when none of `keys` was seen before (within its time to live): the caller handles the
   * delivery. Every key given is remembered either way, like a set that is only ever added to.
   */
  claim(keys: readonly (string | undefined)[], options?: { ttlMs?: number }): Promise<boolean>;
  /** Forgets keys whose time is up; returns how many. */
  purgeExpired(): Promise<number>;
}

/**
 * Claims keys in one statement on `session` (the engine or a transaction). Keys are inserted in
 * sorted order so that two deliveries sharing keys lock them in the same order and never deadlock.
 */
export async function claimDeliveryKeys(
  session: SqlSession,
  keys: readonly (string | undefined)[],
  now: Date,
  ttlMs: number,
): Promise<boolean> {
  const present = [
    ...new Set(keys.filter((key): key is string => typeof key === 'string' && key !== '')),
  ].sort();
  if (present.length === 0) return true;
  const rows = await session.query<{ key: string }>(
    `INSERT INTO delivery_keys (key, seen_at, expires_at)
     SELECT key, $2::timestamptz, $3::timestamptz
     FROM jsonb_array_elements_text($1::jsonb) AS wanted (key) ORDER BY key
     ON CONFLICT (key) DO UPDATE SET seen_at = EXCLUDED.seen_at, expires_at = EXCLUDED.expires_at
       WHERE delivery_keys.expires_at <= EXCLUDED.seen_at
     RETURNING key`,
    [jsonParameter(present), timeParameter(now), timeParameter(new Date(now.getTime() + ttlMs))],
  );
  return rows.length === present.length;
}

export class SqlDeliveryKeys implements DeliveryKeys {
  constructor(
    private readonly engine: SqlEngine,
    private readonly now: () => Date,
  ) {}

  claim(keys: readonly (string | undefined)[], options: { ttlMs?: number } = {}): Promise<boolean> {
    return claimDeliveryKeys(this.engine, keys, this.now(), options.ttlMs ?? defaultDeliveryKeyTtlMs);
  }

  async purgeExpired(): Promise<number> {
    const rows = await this.engine.query(
      'DELETE FROM delivery_keys WHERE expires_at <= $1::timestamptz RETURNING key',
      [timeParameter(this.now())],
    );
    return rows.length;
  }
}
