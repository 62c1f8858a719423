import { randomUUID } from 'node:crypto';
import type { Answer, AnswerStatus, Intent, Question } from '../assistant/answer.js';
import type { UserHasher } from './user-hash.js';
import {
  jsonParameter,
  nullable,
  readJson,
  readOptionalText,
  readTime,
  timeParameter,
  type SqlEngine,
} from './sql-engine.js';

// One line per question answered, for the curators' gap reports: what was asked for (intent, topic),
// how it went (status, cited entries, latency, language), where (channel). The user appears only as
// a salted hash, and a line is purged after the retention (NAVIGATOR_QUESTION_LOG_DAYS).

export interface QuestionLogEntry {
  channel: string;
  intent: Intent;
  status: AnswerStatus;
  /** What the question was about, as the curators should see it grouped (the question's text). */
  topic?: string;
  citedIds: readonly string[];
  latencyMs: number;
  language?: string;
  /** The channel's user id; stored only as its salted hash. */
  user?: string;
  askedAt?: Date;
}

export interface QuestionLogRecord extends Omit<QuestionLogEntry, 'user' | 'askedAt'> {
  questionId: string;
  askedAt: Date;
  userHash?: string;
}

/** A topic the knowledge base did not serve well: no match, or an answer rated 👎. */
export interface KnowledgeGap {
  topic: string;
  noMatch: number;
  notHelpful: number;
  total: number;
  lastSeenAt: Date;
}

export interface QuestionLog {
  /** Logs one answered question; returns its id. */
  record(entry: QuestionLogEntry): Promise<string>;
  /** Entries asked at or after `since`, newest first. */
  since(since: Date, options?: { limit?: number }): Promise<QuestionLogRecord[]>;
  /** Questions with no match and answers rated 👎 since `since`, grouped by topic, largest first. */
  gaps(since: Date, options?: { limit?: number }): Promise<KnowledgeGap[]>;
  /** The person's own latest questions in one channel, newest first, each once (a Home tab). */
  recentOf(channel: string, user: string, options?: { limit?: number }): Promise<string[]>;
  /** Deletes entries older than the retention; returns how many. */
  purge(): Promise<number>;
}

/** A question log entry for an answer the assistant gave. */
export function questionLogEntry(question: Question, answer: Answer, latencyMs: number): QuestionLogEntry {
  return {
    channel: question.channel ?? 'unknown',
    intent: answer.intent,
    status: answer.status,
    topic: question.text,
    citedIds: answer.citations.map((citation) => citation.id),
    latencyMs,
    language: answer.language,
    user: question.user,
  };
}

interface QuestionLogRow {
  question_id: string;
  asked_at: unknown;
  channel: string;
  intent: Intent;
  status: AnswerStatus;
  topic: string | null;
  cited_ids: unknown;
  latency_ms: number;
  language: string | null;
  user_hash: string | null;
}

// Grouping key: lower case, spaces collapsed, trailing punctuation dropped ("Foresight?" = "foresight").
const normalisedTopic = (column: string) =>
  `btrim(regexp_replace(regexp_replace(lower(${column}), '[[:space:]]+', ' ', 'g'), ` +
  `'[[:space:][:punct:]]+$', ''))`;

export class SqlQuestionLog implements QuestionLog {
  constructor(
    private readonly engine: SqlEngine,
    private readonly now: () => Date,
    private readonly hashUser: UserHasher,
    private readonly retentionDays: number,
  ) {}

  async record(entry: QuestionLogEntry): Promise<string> {
    const questionId = randomUUID();
    await this.engine.query(
      `INSERT INTO question_log
         (question_id, asked_at, channel, intent, status, topic, cited_ids, latency_ms, language, user_hash)
       VALUES ($1, $2::timestamptz, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)`,
      [
        questionId,
        timeParameter(entry.askedAt ?? this.now()),
        entry.channel,
        entry.intent,
        entry.status,
        nullable(entry.topic?.slice(0, 500)),
        jsonParameter(entry.citedIds),
        Math.max(0, Math.round(entry.latencyMs)),
        nullable(entry.language),
        nullable(this.hashUser(entry.user)),
      ],
    );
    return questionId;
  }

  async recentOf(channel: string, user: string, options: { limit?: number } = {}): Promise<string[]> {
    const rows = await this.engine.query<{ topic: string }>(
      `SELECT topic FROM question_log
       WHERE channel = $1 AND user_hash = $2 AND topic IS NOT NULL AND topic <> ''
       ORDER BY asked_at DESC, question_id LIMIT 50`,
      [channel, this.hashUser(user) ?? null],
    );
    return [...new Set(rows.map((row) => row.topic))].slice(0, options.limit ?? 5);
  }

  async since(since: Date, options: { limit?: number } = {}): Promise<QuestionLogRecord[]> {
    const rows = await this.engine.query<QuestionLogRow>(
      `SELECT * FROM question_log WHERE asked_at >= $1::timestamptz
       ORDER BY asked_at DESC, question_id LIMIT $2`,
      [timeParameter(since), options.limit ?? 1_000],
    );
    return rows.map((row) => ({
      questionId: row.question_id,
      askedAt: readTime(row.asked_at),
      channel: row.channel,
      intent: row.intent,
      status: row.status,
      topic: readOptionalText(row.topic),
      citedIds: readJson<string[]>(row.cited_ids),
      latencyMs: row.latency_ms,
      language: readOptionalText(row.language),
      userHash: readOptionalText(row.user_hash),
    }));
  }

  async gaps(since: Date, options: { limit?: number } = {}): Promise<KnowledgeGap[]> {
    const rows = await this.engine.query<{
      topic: string;
      no_match: number;
      not_helpful: number;
      total: number;
      last_seen_at: unknown;
    }>(
      `WITH signals AS (
         SELECT ${normalisedTopic('topic')} AS topic, 1 AS no_match, 0 AS not_helpful, asked_at AS seen_at
         FROM question_log
         WHERE status = 'no_match' AND asked_at >= $1::timestamptz AND topic IS NOT NULL
         UNION ALL
         SELECT ${normalisedTopic('question')}, 0, 1, received_at
         FROM feedback
         WHERE rating = 'not_helpful' AND received_at >= $1::timestamptz AND question IS NOT NULL
       )
       SELECT topic, sum(no_match)::integer AS no_match, sum(not_helpful)::integer AS not_helpful,
         count(*)::integer AS total, max(seen_at) AS last_seen_at
       FROM signals WHERE topic <> ''
       GROUP BY topic
       ORDER BY total DESC, last_seen_at DESC, topic
       LIMIT $2`,
      [timeParameter(since), options.limit ?? 100],
    );
    return rows.map((row) => ({
      topic: row.topic,
      noMatch: row.no_match,
      notHelpful: row.not_helpful,
      total: row.total,
      lastSeenAt: readTime(row.last_seen_at),
    }));
  }

  async purge(): Promise<number> {
    const before = new Date(this.now().getTime() - this.retentionDays * 24 * 60 * 60 * 1000);
    const rows = await this.engine.query(
      'DELETE FROM question_log WHERE asked_at < $1::timestamptz RETURNING question_id',
      [timeParameter(before)],
    );
    return rows.length;
  }
}
