import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  jsonParameter,
  nullable,
  readJson,
  readOptionalText,
  readTime,
  timeParameter,
  type JsonValue,
  type SqlEngine,
} from './sql-engine.js';

// The web chat's and curator console's browser sessions, and the chat turns shown again after a
// reload (migration 3). The cookie carries a random token; the table keeps only its SHA-256, so a
// copy of the database signs nobody in.

export type WebSessionRole = 'visitor' | 'member' | 'curator';

export interface WebSession {
  /** The hash of the cookie token: stable id for logs and rate limits, useless as a cookie. */
  sessionId: string;
  role: WebSessionRole;
  csrfToken: string;
  conversationId: string;
  userId?: string;
  userName?: string;
  signInMethod?: 'token' | 'oidc';
  /** Short-lived state of a sign-in in progress (OpenID Connect state and PKCE verifier). */
  pending: JsonValue;
  createdAt: Date;
  expiresAt: Date;
}

export interface NewWebSession {
  role: WebSessionRole;
  userId?: string;
  userName?: string;
  signInMethod?: 'token' | 'oidc';
  /** Keep a conversation across a sign-in; a new one otherwise. */
  conversationId?: string;
  ttlMs: number;
}

export interface WebSessions {
  /** Creates a session; returns the token for the cookie and the session. */
  create(input: NewWebSession): Promise<{ token: string; session: WebSession }>;
  /** The live session for a cookie token; undefined when unknown or expired. */
  find(token: string): Promise<WebSession | undefined>;
  setPending(sessionId: string, pending: JsonValue): Promise<void>;
  setConversation(sessionId: string, conversationId: string): Promise<void>;
  remove(sessionId: string): Promise<void>;
  purgeExpired(): Promise<number>;
}

export interface WebChatTurn {
  turnId: string;
  conversationId: string;
  question: string;
  answer: JsonValue;
  rating?: 'helpful' | 'not_helpful';
  askedAt: Date;
}

/** The turns of web conversations, to show a conversation again after a reload. */
export interface WebChatTurns {
  append(conversationId: string, question: string, answer: JsonValue): Promise<WebChatTurn>;
  /** The latest `limit` turns, oldest first. */
  list(conversationId: string, options?: { limit?: number }): Promise<WebChatTurn[]>;
  get(conversationId: string, turnId: string): Promise<WebChatTurn | undefined>;
  /** Marks a turn rated; false when it is not in that conversation. */
  rate(conversationId: string, turnId: string, rating: 'helpful' | 'not_helpful'): Promise<boolean>;
}

/** The id under which a cookie token's session is stored. */
export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex');

interface SessionRow {
  session_id: string;
  role: WebSessionRole;
  csrf_token: string;
  conversation_id: string;
  user_id: string | null;
  user_name: string | null;
  sign_in_method: 'token' | 'oidc' | null;
  pending: unknown;
  created_at: unknown;
  expires_at: unknown;
}

const sessionFromRow = (row: SessionRow): WebSession => ({
  sessionId: row.session_id,
  role: row.role,
  csrfToken: row.csrf_token,
  conversationId: row.conversation_id,
  userId: readOptionalText(row.user_id),
  userName: readOptionalText(row.user_name),
  signInMethod: row.sign_in_method ?? undefined,
  pending: readJson<JsonValue>(row.pending),
  createdAt: readTime(row.created_at),
  expiresAt: readTime(row.expires_at),
});

export class SqlWebSessions implements WebSessions {
  constructor(
    private readonly engine: SqlEngine,
    private readonly now: () => Date,
  ) {}

  async create(input: NewWebSession): Promise<{ token: string; session: WebSession }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const rows = await this.engine.query<SessionRow>(
      `INSERT INTO web_sessions (session_id, role, csrf_token, conversation_id, user_id, user_name,
         sign_in_method, pending, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'null'::jsonb, $8::timestamptz, $9::timestamptz) RETURNING *`,
      [
        sessionIdOf(token),
        input.role,
        randomBytes(32).toString('base64url'),
        input.conversationId ?? `web:${randomUUID()}`,
        nullable(input.userId),
        nullable(input.userName),
        nullable(input.signInMethod),
        timeParameter(now),
        timeParameter(new Date(now.getTime() + input.ttlMs)),
      ],
    );
    return { token, session: sessionFromRow(rows[0]!) };
  }

  async find(token: string): Promise<WebSession | undefined> {
    const rows = await this.engine.query<SessionRow>(
      'SELECT * FROM web_sessions WHERE session_id = $1 AND expires_at > $2::timestamptz',
      [sessionIdOf(token), timeParameter(this.now())],
    );
    return rows[0] ? sessionFromRow(rows[0]) : undefined;
  }

  async setPending(sessionId: string, pending: JsonValue): Promise<void> {
    await this.engine.query('UPDATE web_sessions SET pending = $2::jsonb WHERE session_id = $1', [
      sessionId,
      jsonParameter(pending),
    ]);
  }

  async setConversation(sessionId: string, conversationId: string): Promise<void> {
    await this.engine.query('UPDATE web_sessions SET conversation_id = $2 WHERE session_id = $1', [
      sessionId,
      conversationId,
    ]);
  }

  async remove(sessionId: string): Promise<void> {
    await this.engine.query('DELETE FROM web_sessions WHERE session_id = $1', [sessionId]);
  }

  async purgeExpired(): Promise<number> {
    const rows = await this.engine.query(
      'DELETE FROM web_sessions WHERE expires_at <= $1::timestamptz RETURNING session_id',
      [timeParameter(this.now())],
    );
    return rows.length;
  }
}

interface TurnRow {
  turn_id: string;
  conversation_id: string;
  question: string;
  answer: unknown;
  rating: 'helpful' | 'not_helpful' | null;
  asked_at: unknown;
}

const turnFromRow = (row: TurnRow): WebChatTurn => ({
  turnId: row.turn_id,
  conversationId: row.conversation_id,
  question: row.question,
  answer: readJson<JsonValue>(row.answer),
  rating: row.rating ?? undefined,
  askedAt: readTime(row.asked_at),
});

export class SqlWebChatTurns implements WebChatTurns {
  constructor(
    private readonly engine: SqlEngine,
    private readonly now: () => Date,
  ) {}

  async append(conversationId: string, question: string, answer: JsonValue): Promise<WebChatTurn> {
    const rows = await this.engine.query<TurnRow>(
      `INSERT INTO web_chat_turns (turn_id, conversation_id, question, answer, asked_at)
       VALUES ($1, $2, $3, $4::jsonb, $5::timestamptz) RETURNING *`,
      [randomUUID(), conversationId, question, jsonParameter(answer), timeParameter(this.now())],
    );
    return turnFromRow(rows[0]!);
  }

  async list(conversationId: string, options: { limit?: number } = {}): Promise<WebChatTurn[]> {
    const rows = await this.engine.query<TurnRow>(
      `SELECT * FROM (SELECT * FROM web_chat_turns WHERE conversation_id = $1
         ORDER BY asked_at DESC, turn_id DESC LIMIT $2) latest
       ORDER BY asked_at, turn_id`,
      [conversationId, options.limit ?? 50],
    );
    return rows.map(turnFromRow);
  }

  async get(conversationId: string, turnId: string): Promise<WebChatTurn | undefined> {
    const rows = await this.engine.query<TurnRow>(
      'SELECT * FROM web_chat_turns WHERE conversation_id = $1 AND turn_id = $2',
      [conversationId, turnId],
    );
    return rows[0] ? turnFromRow(rows[0]) : undefined;
  }

  async rate(conversationId: string, turnId: string, rating: 'helpful' | 'not_helpful'): Promise<boolean> {
    const rows = await this.engine.query(
      `UPDATE web_chat_turns SET rating = $3 WHERE conversation_id = $1 AND turn_id = $2
       RETURNING turn_id`,
      [conversationId, turnId, rating],
    );
    return rows.length === 1;
  }

  /** Deletes turns older than `before`; returns how many. */
  async purgeBefore(before: Date): Promise<number> {
    const rows = await this.engine.query(
      'DELETE FROM web_chat_turns WHERE asked_at < $1::timestamptz RETURNING turn_id',
      [timeParameter(before)],
    );
    return rows.length;
  }
}
