import type { ConversationState, ConversationStore } from '../assistant/conversation-store.js';
import { jsonParameter, readJson, timeParameter, type SqlEngine } from './sql-engine.js';

/** Conversation state shared by every replica; forgotten after `idleMillis` without a turn. */
export interface SharedConversationStore extends ConversationStore {
  /** Deletes conversations idle for longer than the idle time; returns how many. */
  purgeExpired(): Promise<number>;
}

/** The assistant's ConversationStore on the store's database, with the same idle expiry as in memory. */
export class SqlConversationStore implements SharedConversationStore {
  constructor(
    private readonly engine: SqlEngine,
    private readonly now: () => Date,
    private readonly idleMillis = 2 * 60 * 60 * 1000,
    private readonly historyTurns = 8,
  ) {}

  async get(conversationId: string): Promise<ConversationState | undefined> {
    const rows = await this.engine.query<{ state: unknown }>(
      'SELECT state FROM conversations WHERE conversation_id = $1 AND updated_at >= $2::timestamptz',
      [conversationId, timeParameter(this.idleSince())],
    );
    return rows[0] ? readJson<ConversationState>(rows[0].state) : undefined;
  }

  async set(conversationId: string, state: ConversationState): Promise<void> {
    const now = this.now();
    const kept: ConversationState = {
      ...state,
      history: state.history.slice(-this.historyTurns),
      updatedAt: now.getTime(),
    };
    await this.engine.query(
      `INSERT INTO conversations (conversation_id, state, updated_at) VALUES ($1, $2::jsonb, $3::timestamptz)
       ON CONFLICT (conversation_id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
      [conversationId, jsonParameter(kept), timeParameter(now)],
    );
  }

  async purgeExpired(): Promise<number> {
    const rows = await this.engine.query(
      'DELETE FROM conversations WHERE updated_at < $1::timestamptz RETURNING conversation_id',
      [timeParameter(this.idleSince())],
    );
    return rows.length;
  }

  private idleSince(): Date {
    return new Date(this.now().getTime() - this.idleMillis);
  }
}
