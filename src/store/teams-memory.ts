import { keptAnswerLength } from '../feedback/feedback-store.js';
import {
  jsonParameter,
  nullable,
  readJson,
  readOptionalText,
  timeParameter,
  type JsonValue,
  type SqlEngine,
} from './sql-engine.js';

// Teams keeps no copy of what the bot said: feedback names only the bot message (replyToId), and
// a proactive reply needs the conversation reference. Both are kept here so that any replica, or
// the same one after a restart, can record feedback with its question and post a late answer.

/** What a Teams message answered, looked up by the activity id Teams gave it. */
export interface SentAnswer {
  question: string;
  conversationId: string;
  citedIds: string[];
  /** The answer as plain text, for the curators reading its feedback. */
  answer?: string;
}

/** Teams' memory of its conversations and of the answers it sent. */
export interface TeamsMemory {
  /** Keeps the latest conversation reference (botbuilder's ConversationReference, as JSON). */
  saveReference(conversationKey: string, reference: JsonValue): Promise<void>;
  getReference(conversationKey: string): Promise<JsonValue | undefined>;
  /** Remembers what a sent message answered. */
  rememberSentAnswer(activityId: string, answer: SentAnswer): Promise<void>;
  /** What the message `activityId` answered, if it was sent by any replica within the retention. */
  recallSentAnswer(activityId: string | undefined): Promise<SentAnswer | undefined>;
  /** Forgets sent answers older than `before`; returns how many. */
  purgeSentAnswers(before: Date): Promise<number>;
}

export class SqlTeamsMemory implements TeamsMemory {
  constructor(
    private readonly engine: SqlEngine,
    private readonly now: () => Date,
  ) {}

  async saveReference(conversationKey: string, reference: JsonValue): Promise<void> {
    await this.engine.query(
      `INSERT INTO teams_conversation_references (conversation_key, reference, updated_at)
       VALUES ($1, $2::jsonb, $3::timestamptz)
       ON CONFLICT (conversation_key) DO UPDATE
         SET reference = EXCLUDED.reference, updated_at = EXCLUDED.updated_at`,
      [conversationKey, jsonParameter(reference), timeParameter(this.now())],
    );
  }

  async getReference(conversationKey: string): Promise<JsonValue | undefined> {
    const rows = await this.engine.query<{ reference: unknown }>(
      'SELECT reference FROM teams_conversation_references WHERE conversation_key = $1',
      [conversationKey],
    );
    return rows[0] ? readJson<JsonValue>(rows[0].reference) : undefined;
  }

  async rememberSentAnswer(activityId: string, answer: SentAnswer): Promise<void> {
    await this.engine.query(
      `INSERT INTO teams_sent_answers (activity_id, conversation_id, question, cited_ids, sent_at, answer)
       VALUES ($1, $2, $3, $4::jsonb, $5::timestamptz, $6)
       ON CONFLICT (activity_id) DO UPDATE SET conversation_id = EXCLUDED.conversation_id,
         question = EXCLUDED.question, cited_ids = EXCLUDED.cited_ids, sent_at = EXCLUDED.sent_at,
         answer = EXCLUDED.answer`,
      [
        activityId,
        answer.conversationId,
        answer.question,
        jsonParameter(answer.citedIds),
        timeParameter(this.now()),
        nullable(answer.answer?.slice(0, keptAnswerLength)),
      ],
    );
  }

  async recallSentAnswer(activityId: string | undefined): Promise<SentAnswer | undefined> {
    if (!activityId) return undefined;
    const rows = await this.engine.query<{
      conversation_id: string;
      question: string;
      cited_ids: unknown;
      answer: string | null;
    }>('SELECT conversation_id, question, cited_ids, answer FROM teams_sent_answers WHERE activity_id = $1', [
      activityId,
    ]);
    const row = rows[0];
    return row
      ? {
          conversationId: row.conversation_id,
          question: row.question,
          citedIds: readJson<string[]>(row.cited_ids),
          answer: readOptionalText(row.answer),
        }
      : undefined;
  }

  async purgeSentAnswers(before: Date): Promise<number> {
    const rows = await this.engine.query(
      'DELETE FROM teams_sent_answers WHERE sent_at < $1::timestamptz RETURNING activity_id',
      [timeParameter(before)],
    );
    return rows.length;
  }
}
