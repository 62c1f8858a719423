import { randomUUID } from 'node:crypto';
import type { Answer } from '../assistant/answer.js';
import { jsonParameter, readJson, readTime, timeParameter, type SqlEngine } from './sql-engine.js';

// The "Share in channel" button of a private (ephemeral) Slack answer: the answer is kept under an
// id that the button carries, and taken exactly once, by whichever replica receives the click.

/** A private answer kept for sharing. */
export interface SharedAnswer {
  answer: Answer;
  question: string;
  conversationId: string;
}

/** Slack's response_url lasts 30 minutes; a share after that could not be posted anyway. */
export const defaultShareableForMs = 30 * 60 * 1000;

export interface SharedAnswerStore {
  /** Keeps an answer for sharing; returns the id to put on the button. */
  keep(shared: SharedAnswer, options?: { ttlMs?: number }): Promise<string>;
  /** The kept answer, left in place (a share job reads it, posts, then takes it); undefined when gone. */
  get(shareId: string): Promise<SharedAnswer | undefined>;
  /** Removes and returns the kept answer; undefined when unknown, expired or already shared. */
  take(shareId: string): Promise<SharedAnswer | undefined>;
  purgeExpired(): Promise<number>;
}

export class SqlSharedAnswerStore implements SharedAnswerStore {
  constructor(
    private readonly engine: SqlEngine,
    private readonly now: () => Date,
  ) {}

  async keep(shared: SharedAnswer, options: { ttlMs?: number } = {}): Promise<string> {
    const shareId = randomUUID();
    const now = this.now();
    await this.engine.query(
      `INSERT INTO shared_answers (share_id, payload, saved_at, expires_at)
       VALUES ($1, $2::jsonb, $3::timestamptz, $4::timestamptz)`,
      [
        shareId,
        jsonParameter(shared),
        timeParameter(now),
        timeParameter(new Date(now.getTime() + (options.ttlMs ?? defaultShareableForMs))),
      ],
    );
    return shareId;
  }

  async get(shareId: string): Promise<SharedAnswer | undefined> {
    const rows = await this.engine.query<{ payload: unknown }>(
      'SELECT payload FROM shared_answers WHERE share_id = $1 AND expires_at > $2::timestamptz',
      [shareId, timeParameter(this.now())],
    );
    return rows[0] ? readJson<SharedAnswer>(rows[0].payload) : undefined;
  }

  async take(shareId: string): Promise<SharedAnswer | undefined> {
    const rows = await this.engine.query<{ payload: unknown; expires_at: unknown }>(
      'DELETE FROM shared_answers WHERE share_id = $1 RETURNING payload, expires_at',
      [shareId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const expired = readTime(row.expires_at).getTime() <= this.now().getTime();
    return expired ? undefined : readJson<SharedAnswer>(row.payload);
  }

  async purgeExpired(): Promise<number> {
    const rows = await this.engine.query(
      'DELETE FROM shared_answers WHERE expires_at <= $1::timestamptz RETURNING share_id',
      [timeParameter(this.now())],
    );
    return rows.length;
  }
}
