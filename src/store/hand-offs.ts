import { randomUUID } from 'node:crypto';
import {
  jsonParameter,
  nullable,
  readJson,
  readOptionalText,
  readOptionalTime,
  readTime,
  timeParameter,
  type JsonValue,
  type SqlEngine,
} from './sql-engine.js';

// Questions handed to a person (migration 2). Slack and Teams find a hand-off again by the curator
// thread a reply comes from; the web chat keeps one per chat turn and its reply on the row
// (migration 5), so the asker's page can show it. Each write two replicas or curators may race for
// is one atomic statement.

export type HandOffStatus = 'open' | 'answered' | 'closed';

export interface HandOff {
  handOffId: string;
  channel: string;
  /** Where the asker is (thread or conversation key). */
  sourceConversation: string;
  /** What the hand-off is about, when there may be only one (a web chat turn); unique. */
  sourceKey?: string;
  /** The curator channel's thread for it, once posted. */
  curatorConversation?: string;
  status: HandOffStatus;
  payload: JsonValue;
  createdAt: Date;
  /** The curator's reply, when it is kept with the hand-off (web chat). */
  reply?: string;
  repliedBy?: string;
  answeredAt?: Date;
}

export interface NewHandOff {
  channel: string;
  sourceConversation: string;
  payload: JsonValue;
}

export type HandOffReplyResult =
  { ok: true; handOff: HandOff } | { ok: false; reason: 'not_found' | 'not_open' };

/** Questions handed to a person, looked up again by the curator thread or by the asker's conversation. */
export interface HandOffs {
  create(input: NewHandOff): Promise<HandOff>;
  /**
   * Creates the hand-off for `sourceKey` unless there is one: concurrent calls create one row, and
   * each gets it back, `created` true for the one that stored it.
   */
  createOnce(input: NewHandOff & { sourceKey: string }): Promise<{ handOff: HandOff; created: boolean }>;
  get(handOffId: string): Promise<HandOff | undefined>;
  /** A channel's hand-offs, oldest first, optionally of one status. */
  list(channel: string, options?: { status?: HandOffStatus; limit?: number }): Promise<HandOff[]>;
  /** The hand-offs asked from one conversation, oldest first. */
  listBySourceConversation(sourceConversation: string): Promise<HandOff[]>;
  attachCuratorConversation(handOffId: string, curatorConversation: string): Promise<void>;
  findByCuratorConversation(curatorConversation: string): Promise<HandOff | undefined>;
  setStatus(handOffId: string, status: HandOffStatus): Promise<boolean>;
  /** Keeps a reply and marks the hand-off answered, only while it is open: one reply wins. */
  reply(handOffId: string, reply: { text: string; repliedBy?: string }): Promise<HandOffReplyResult>;
}

interface HandOffRow {
  hand_off_id: string;
  channel: string;
  source_conversation: string;
  source_key: string | null;
  curator_conversation: string | null;
  status: HandOffStatus;
  payload: unknown;
  created_at: unknown;
  reply: string | null;
  replied_by: string | null;
  answered_at: unknown;
}

const handOffFromRow = (row: HandOffRow): HandOff => ({
  handOffId: row.hand_off_id,
  channel: row.channel,
  sourceConversation: row.source_conversation,
  sourceKey: readOptionalText(row.source_key),
  curatorConversation: readOptionalText(row.curator_conversation),
  status: row.status,
  payload: readJson<JsonValue>(row.payload),
  createdAt: readTime(row.created_at),
  reply: readOptionalText(row.reply),
  repliedBy: readOptionalText(row.replied_by),
  answeredAt: readOptionalTime(row.answered_at),
});

export class SqlHandOffs implements HandOffs {
  constructor(
    private readonly engine: SqlEngine,
    private readonly now: () => Date,
  ) {}

  async create(input: NewHandOff): Promise<HandOff> {
    const rows = await this.insert(input, undefined);
    return handOffFromRow(rows[0]!);
  }

  async createOnce(
    input: NewHandOff & { sourceKey: string },
  ): Promise<{ handOff: HandOff; created: boolean }> {
    const inserted = await this.insert(input, input.sourceKey);
    if (inserted[0]) return { handOff: handOffFromRow(inserted[0]), created: true };
    const rows = await this.engine.query<HandOffRow>('SELECT * FROM hand_offs WHERE source_key = $1', [
      input.sourceKey,
    ]);
    return { handOff: handOffFromRow(rows[0]!), created: false };
  }

  private insert(input: NewHandOff, sourceKey: string | undefined): Promise<HandOffRow[]> {
    return this.engine.query<HandOffRow>(
      `INSERT INTO hand_offs
         (hand_off_id, channel, source_conversation, source_key, status, payload, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'open', $5::jsonb, $6::timestamptz, $6::timestamptz)
       ON CONFLICT (source_key) DO NOTHING RETURNING *`,
      [
        randomUUID(),
        input.channel,
        input.sourceConversation,
        nullable(sourceKey),
        jsonParameter(input.payload),
        timeParameter(this.now()),
      ],
    );
  }

  async get(handOffId: string): Promise<HandOff | undefined> {
    const rows = await this.engine.query<HandOffRow>('SELECT * FROM hand_offs WHERE hand_off_id = $1', [
      handOffId,
    ]);
    return rows[0] ? handOffFromRow(rows[0]) : undefined;
  }

  async list(channel: string, options: { status?: HandOffStatus; limit?: number } = {}): Promise<HandOff[]> {
    const rows = await this.engine.query<HandOffRow>(
      `SELECT * FROM hand_offs WHERE channel = $1 AND ($2::text IS NULL OR status = $2)
       ORDER BY created_at, hand_off_id LIMIT $3`,
      [channel, nullable(options.status), options.limit ?? 200],
    );
    return rows.map(handOffFromRow);
  }

  async listBySourceConversation(sourceConversation: string): Promise<HandOff[]> {
    const rows = await this.engine.query<HandOffRow>(
      'SELECT * FROM hand_offs WHERE source_conversation = $1 ORDER BY created_at, hand_off_id',
      [sourceConversation],
    );
    return rows.map(handOffFromRow);
  }

  async attachCuratorConversation(handOffId: string, curatorConversation: string): Promise<void> {
    await this.engine.query(
      'UPDATE hand_offs SET curator_conversation = $2, updated_at = $3::timestamptz WHERE hand_off_id = $1',
      [handOffId, curatorConversation, timeParameter(this.now())],
    );
  }

  async findByCuratorConversation(curatorConversation: string): Promise<HandOff | undefined> {
    const rows = await this.engine.query<HandOffRow>(
      'SELECT * FROM hand_offs WHERE curator_conversation = $1',
      [curatorConversation],
    );
    return rows[0] ? handOffFromRow(rows[0]) : undefined;
  }

  async setStatus(handOffId: string, status: HandOffStatus): Promise<boolean> {
    const rows = await this.engine.query(
      `UPDATE hand_offs SET status = $2, updated_at = $3::timestamptz
       WHERE hand_off_id = $1 RETURNING hand_off_id`,
      [handOffId, status, timeParameter(this.now())],
    );
    return rows.length === 1;
  }

  async reply(handOffId: string, reply: { text: string; repliedBy?: string }): Promise<HandOffReplyResult> {
    const now = timeParameter(this.now());
    // The status check is in the UPDATE itself: of two curators replying at once, one row changes.
    const rows = await this.engine.query<HandOffRow>(
      `UPDATE hand_offs SET status = 'answered', reply = $2, replied_by = $3, answered_at = $4::timestamptz,
         updated_at = $4::timestamptz
       WHERE hand_off_id = $1 AND status = 'open' RETURNING *`,
      [handOffId, reply.text, nullable(reply.repliedBy), now],
    );
    if (rows[0]) return { ok: true, handOff: handOffFromRow(rows[0]) };
    return { ok: false, reason: (await this.get(handOffId)) ? 'not_open' : 'not_found' };
  }
}
