import { NavigatorError } from '../errors.js';
import type { SqlEngine } from './sql-engine.js';

// Versioned, forward-only migrations, applied at start. Several replicas may start at once: each
// takes a session-level advisory lock first, so one applies what is missing while the others wait,
// then find nothing left to do. A migration and its schema_migrations row commit together.
// Rules for new migrations: append, never edit an applied one; only add (tables, columns with
// defaults, indexes), so that replicas still running the previous version keep working during a
// rolling deploy. Versions this code does not know (a newer replica migrated first) are left alone.
// The SQL must run on PostgreSQL 13+ (the oldest server supported) and on PGlite.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** An arbitrary, fixed key: "navigator migrations" for pg_advisory_lock. */
const migrationLockKey = 4_711_420_011;

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'state store',
    sql: `
CREATE TABLE store_settings (
  key text PRIMARY KEY,
  value text NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE conversations (
  conversation_id text PRIMARY KEY,
  state jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX conversations_updated_at ON conversations (updated_at);

CREATE TABLE delivery_keys (
  key text PRIMARY KEY,
  seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX delivery_keys_expires_at ON delivery_keys (expires_at);

CREATE TABLE jobs (
  job_id text PRIMARY KEY,
  kind text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL CHECK (max_attempts >= 1),
  run_after timestamptz NOT NULL,
  claim_token text,
  locked_by text,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  finished_at timestamptz
);
CREATE INDEX jobs_queued ON jobs (run_after) WHERE status = 'queued';
CREATE INDEX jobs_running ON jobs (locked_until) WHERE status = 'running';
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE status IN ('done', 'dead');

CREATE TABLE job_sends (
  send_key text PRIMARY KEY,
  job_id text NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
  claimed_at timestamptz NOT NULL,
  sent_at timestamptz,
  detail jsonb
);
CREATE INDEX job_sends_job_id ON job_sends (job_id);

CREATE TABLE teams_conversation_references (
  conversation_key text PRIMARY KEY,
  reference jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE teams_sent_answers (
  activity_id text PRIMARY KEY,
  conversation_id text NOT NULL,
  question text NOT NULL,
  cited_ids jsonb NOT NULL,
  sent_at timestamptz NOT NULL
);
CREATE INDEX teams_sent_answers_sent_at ON teams_sent_answers (sent_at);

CREATE TABLE shared_answers (
  share_id text PRIMARY KEY,
  payload jsonb NOT NULL,
  saved_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX shared_answers_expires_at ON shared_answers (expires_at);

CREATE TABLE feedback (
  feedback_id text PRIMARY KEY,
  channel text NOT NULL,
  conversation_id text,
  user_hash text,
  question text,
  rating text NOT NULL CHECK (rating IN ('helpful', 'not_helpful')),
  comment text,
  cited_ids jsonb NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE INDEX feedback_received_at ON feedback (received_at);

CREATE TABLE case_submissions (
  submission_id text PRIMARY KEY,
  submission_key text UNIQUE,
  title text NOT NULL,
  country text NOT NULL,
  organisation text NOT NULL,
  what_was_done text NOT NULL,
  link text NOT NULL,
  channel text NOT NULL,
  submitted_by text,
  status text NOT NULL CHECK (status IN ('to_review', 'accepted', 'rejected')),
  submitted_at timestamptz NOT NULL,
  reviewed_at timestamptz,
  reviewed_by text,
  review_note text,
  entry_id text
);
CREATE INDEX case_submissions_status ON case_submissions (status, submitted_at);

CREATE TABLE question_log (
  question_id text PRIMARY KEY,
  asked_at timestamptz NOT NULL,
  channel text NOT NULL,
  intent text NOT NULL,
  status text NOT NULL,
  topic text,
  cited_ids jsonb NOT NULL,
  latency_ms integer NOT NULL,
  language text,
  user_hash text
);
CREATE INDEX question_log_asked_at ON question_log (asked_at);
CREATE INDEX question_log_status ON question_log (status, asked_at);
`,
  },
  {
    version: 2,
    name: 'channel state for threads, settings, rate limits, hand-offs and digests',
    sql: `
CREATE TABLE engaged_threads (
  thread_key text PRIMARY KEY,
  engaged_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX engaged_threads_expires_at ON engaged_threads (expires_at);

CREATE TABLE channel_settings (
  channel_key text PRIMARY KEY,
  settings jsonb NOT NULL,
  updated_by text,
  updated_at timestamptz NOT NULL
);

CREATE TABLE rate_limit_windows (
  limit_key text NOT NULL,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (limit_key, window_start)
);
CREATE INDEX rate_limit_windows_expires_at ON rate_limit_windows (expires_at);

CREATE TABLE hand_offs (
  hand_off_id text PRIMARY KEY,
  channel text NOT NULL,
  source_conversation text NOT NULL,
  curator_conversation text,
  status text NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX hand_offs_curator_conversation ON hand_offs (curator_conversation);
CREATE INDEX hand_offs_status ON hand_offs (status, created_at);

CREATE TABLE digest_subscriptions (
  channel_key text PRIMARY KEY,
  period text NOT NULL CHECK (period IN ('weekly', 'monthly')),
  subscribed_by text,
  subscribed_at timestamptz NOT NULL,
  last_sent_at timestamptz,
  next_due_at timestamptz NOT NULL,
  claimed_until timestamptz
);
CREATE INDEX digest_subscriptions_next_due_at ON digest_subscriptions (next_due_at);
`,
  },
  {
    version: 3,
    name: 'web chat sessions and turns',
    sql: `
CREATE TABLE web_sessions (
  session_id text PRIMARY KEY,
  role text NOT NULL CHECK (role IN ('visitor', 'member', 'curator')),
  csrf_token text NOT NULL,
  conversation_id text NOT NULL,
  user_id text,
  user_name text,
  sign_in_method text,
  pending jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX web_sessions_expires_at ON web_sessions (expires_at);

CREATE TABLE web_chat_turns (
  turn_id text PRIMARY KEY,
  conversation_id text NOT NULL,
  question text NOT NULL,
  answer jsonb NOT NULL,
  rating text CHECK (rating IN ('helpful', 'not_helpful')),
  asked_at timestamptz NOT NULL
);
CREATE INDEX web_chat_turns_conversation ON web_chat_turns (conversation_id, asked_at);
CREATE INDEX web_chat_turns_asked_at ON web_chat_turns (asked_at);
`,
  },
  {
    version: 4,
    name: 'what each digest subscription was last told about',
    sql: `
ALTER TABLE digest_subscriptions ADD COLUMN entry_hashes jsonb;
`,
  },
  {
    version: 5,
    name: 'web chat hand-offs: one per turn, with the curator reply',
    sql: `
ALTER TABLE hand_offs ADD COLUMN source_key text;
ALTER TABLE hand_offs ADD COLUMN reply text;
ALTER TABLE hand_offs ADD COLUMN replied_by text;
ALTER TABLE hand_offs ADD COLUMN answered_at timestamptz;
CREATE UNIQUE INDEX hand_offs_source_key ON hand_offs (source_key);
CREATE INDEX hand_offs_source_conversation ON hand_offs (source_conversation, created_at);
CREATE INDEX hand_offs_channel_status ON hand_offs (channel, status, created_at);
`,
  },
  {
    version: 6,
    name: 'feedback keeps the rated answer and where to open it',
    sql: `
ALTER TABLE feedback ADD COLUMN answer text;
ALTER TABLE feedback ADD COLUMN answer_link text;
ALTER TABLE teams_sent_answers ADD COLUMN answer text;
`,
  },
];

/** Applies the migrations not yet recorded, under an advisory lock; returns the versions applied. */
export async function applyMigrations(
  engine: SqlEngine,
  list: readonly Migration[] = migrations,
): Promise<number[]> {
  return engine.withSession(async (session) => {
    await session.query('SELECT pg_advisory_lock($1::bigint)', [migrationLockKey]);
    try {
      // Inside the lock: two sessions creating the same table at once can fail even with IF NOT EXISTS.
      await session.execute(`CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`);
      const rows = await session.query<{ version: number }>('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((row) => row.version));
      const newlyApplied: number[] = [];
      for (const migration of [...list].sort((a, b) => a.version - b.version)) {
        if (applied.has(migration.version)) continue;
        await session.execute('BEGIN');
        try {
          await session.execute(migration.sql);
          await session.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ]);
          await session.execute('COMMIT');
        } catch (cause) {
          await session.execute('ROLLBACK').catch(() => {});
          throw new NavigatorError(
            'store_migration_failed',
            `Migration ${migration.version} (${migration.name}) failed on the ${engine.name} store: ` +
              `${cause instanceof Error ? cause.message : String(cause)}. ` +
              'Nothing of it was applied; fix the cause and start again.',
            { cause },
          );
        }
        newlyApplied.push(migration.version);
      }
      return newlyApplied;
    } finally {
      await session.query('SELECT pg_advisory_unlock($1::bigint)', [migrationLockKey]).catch(() => {});
    }
  });
}
