import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  caseSubmissionSchema,
  feedbackPaths,
  keptAnswerLength,
  type CaseSubmission,
  type Feedback,
} from '../feedback/feedback-store.js';
import type { UserHasher } from './user-hash.js';
import {
  jsonParameter,
  nullable,
  readJson,
  readOptionalText,
  readOptionalTime,
  readTime,
  timeParameter,
  type SqlEngine,
} from './sql-engine.js';

// What users send the curators: 👍/👎 with comments, and proposed cases waiting for review. The
// user of a feedback is kept only as a salted hash; the submitter of a case is kept as given, since
// a curator may need to ask them about it.

/** Feedback as stored: the user replaced by its hash. */
export interface FeedbackRecord extends Omit<Feedback, 'user'> {
  feedbackId: string;
  userHash?: string;
  citedIds: string[];
  receivedAt: Date;
}

export interface FeedbackStore {
  /** Records a 👍/👎; returns its id. */
  record(feedback: Feedback): Promise<string>;
  /** Feedback received at or after `since`, newest first. */
  since(since: Date, options?: { limit?: number }): Promise<FeedbackRecord[]>;
}

export type CaseSubmissionStatus = 'to_review' | 'accepted' | 'rejected';

export interface StoredCaseSubmission extends CaseSubmission {
  submissionId: string;
  status: CaseSubmissionStatus;
  channel: string;
  submittedBy?: string;
  submittedAt: Date;
  reviewedAt?: Date;
  reviewedBy?: string;
  reviewNote?: string;
  /** The knowledge entry written from an accepted submission. */
  entryId?: string;
}

export type SubmitCaseResult =
  { ok: true; submissionId: string; duplicate: boolean } | { ok: false; problems: Record<string, string> };

export type ReviewResult =
  | { ok: true; submission: StoredCaseSubmission }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'already_reviewed'; submission: StoredCaseSubmission };

export interface CaseSubmissionStore {
  /**
   * Validates and queues a proposed case as to_review. `submissionKey` (e.g. Slack's view id) makes
   * a retried submission land once.
   */
  submit(
    submission: unknown,
    submittedBy: { channel: string; user?: string },
    options?: { submissionKey?: string },
  ): Promise<SubmitCaseResult>;
  list(options?: { status?: CaseSubmissionStatus; limit?: number }): Promise<StoredCaseSubmission[]>;
  get(submissionId: string): Promise<StoredCaseSubmission | undefined>;
  /** Accepts or rejects a submission still to review; a second curator's decision is refused. */
  review(
    submissionId: string,
    decision: { status: 'accepted' | 'rejected'; reviewedBy?: string; note?: string; entryId?: string },
  ): Promise<ReviewResult>;
}

interface FeedbackRow {
  feedback_id: string;
  channel: string;
  conversation_id: string | null;
  user_hash: string | null;
  question: string | null;
  rating: Feedback['rating'];
  comment: string | null;
  cited_ids: unknown;
  received_at: unknown;
  answer: string | null;
  answer_link: string | null;
}

interface SubmissionRow {
  submission_id: string;
  title: string;
  country: string;
  organisation: string;
  what_was_done: string;
  link: string;
  channel: string;
  submitted_by: string | null;
  status: CaseSubmissionStatus;
  submitted_at: unknown;
  reviewed_at: unknown;
  reviewed_by: string | null;
  review_note: string | null;
  entry_id: string | null;
}

function feedbackFromRow(row: FeedbackRow): FeedbackRecord {
  return {
    feedbackId: row.feedback_id,
    channel: row.channel,
    conversationId: readOptionalText(row.conversation_id),
    userHash: readOptionalText(row.user_hash),
    question: readOptionalText(row.question),
    rating: row.rating,
    comment: readOptionalText(row.comment),
    citedIds: readJson<string[]>(row.cited_ids),
    receivedAt: readTime(row.received_at),
    answer: readOptionalText(row.answer),
    answerLink: readOptionalText(row.answer_link),
  };
}

function submissionFromRow(row: SubmissionRow): StoredCaseSubmission {
  return {
    submissionId: row.submission_id,
    title: row.title,
    country: row.country,
    organisation: row.organisation,
    whatWasDone: row.what_was_done,
    link: row.link,
    channel: row.channel,
    submittedBy: readOptionalText(row.submitted_by),
    status: row.status,
    submittedAt: readTime(row.submitted_at),
    reviewedAt: readOptionalTime(row.reviewed_at),
    reviewedBy: readOptionalText(row.reviewed_by),
    reviewNote: readOptionalText(row.review_note),
    entryId: readOptionalText(row.entry_id),
  };
}

const insertFeedback = `INSERT INTO feedback
  (feedback_id, channel, conversation_id, user_hash, question, rating, comment, cited_ids, received_at,
   answer, answer_link)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::timestamptz, $10, $11)
  ON CONFLICT (feedback_id) DO NOTHING RETURNING feedback_id`;

const insertSubmission = `INSERT INTO case_submissions
  (submission_id, submission_key, title, country, organisation, what_was_done, link, channel, submitted_by,
   status, submitted_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::timestamptz)
  ON CONFLICT DO NOTHING RETURNING submission_id`;

export class SqlFeedbackStore implements FeedbackStore {
  constructor(
    private readonly engine: SqlEngine,
    private readonly now: () => Date,
    private readonly hashUser: UserHasher,
  ) {}

  async record(feedback: Feedback): Promise<string> {
    const feedbackId = randomUUID();
    await this.insert(feedback, feedbackId, this.now());
    return feedbackId;
  }

  /** Inserts with a given id and time (imports); false when that id is already stored. */
  async insert(feedback: Feedback, feedbackId: string, receivedAt: Date): Promise<boolean> {
    const rows = await this.engine.query(insertFeedback, [
      feedbackId,
      feedback.channel,
      nullable(feedback.conversationId),
      nullable(this.hashUser(feedback.user)),
      nullable(feedback.question),
      feedback.rating,
      nullable(feedback.comment),
      jsonParameter(feedback.citedIds ?? []),
      timeParameter(receivedAt),
      nullable(feedback.answer?.slice(0, keptAnswerLength)),
      nullable(feedback.answerLink),
    ]);
    return rows.length === 1;
  }

  async since(since: Date, options: { limit?: number } = {}): Promise<FeedbackRecord[]> {
    const rows = await this.engine.query<FeedbackRow>(
      `SELECT * FROM feedback WHERE received_at >= $1::timestamptz
       ORDER BY received_at DESC, feedback_id LIMIT $2`,
      [timeParameter(since), options.limit ?? 1_000],
    );
    return rows.map(feedbackFromRow);
  }
}

export class SqlCaseSubmissionStore implements CaseSubmissionStore {
  constructor(
    private readonly engine: SqlEngine,
    private readonly now: () => Date,
  ) {}

  async submit(
    submission: unknown,
    submittedBy: { channel: string; user?: string },
    options: { submissionKey?: string; submittedAt?: Date; status?: CaseSubmissionStatus } = {},
  ): Promise<SubmitCaseResult> {
    const parsed = caseSubmissionSchema.safeParse(submission);
    if (!parsed.success) {
      const problems: Record<string, string> = {};
      for (const issue of parsed.error.issues) problems[String(issue.path[0] ?? 'form')] ??= issue.message;
      return { ok: false, problems };
    }
    const value = parsed.data;
    const submissionId = randomUUID();
    const rows = await this.engine.query(insertSubmission, [
      submissionId,
      nullable(options.submissionKey),
      value.title,
      value.country,
      value.organisation,
      value.whatWasDone,
      value.link,
      submittedBy.channel,
      nullable(submittedBy.user),
      options.status ?? 'to_review',
      timeParameter(options.submittedAt ?? this.now()),
    ]);
    if (rows.length === 1) return { ok: true, submissionId, duplicate: false };
    const existing = await this.engine.query<{ submission_id: string }>(
      'SELECT submission_id FROM case_submissions WHERE submission_key = $1',
      [nullable(options.submissionKey)],
    );
    return { ok: true, submissionId: existing[0]?.submission_id ?? submissionId, duplicate: true };
  }

  async list(
    options: { status?: CaseSubmissionStatus; limit?: number } = {},
  ): Promise<StoredCaseSubmission[]> {
    const rows = await this.engine.query<SubmissionRow>(
      `SELECT * FROM case_submissions WHERE ($1::text IS NULL OR status = $1::text)
       ORDER BY submitted_at, submission_id LIMIT $2`,
      [nullable(options.status), options.limit ?? 1_000],
    );
    return rows.map(submissionFromRow);
  }

  async get(submissionId: string): Promise<StoredCaseSubmission | undefined> {
    const rows = await this.engine.query<SubmissionRow>(
      'SELECT * FROM case_submissions WHERE submission_id = $1',
      [submissionId],
    );
    return rows[0] ? submissionFromRow(rows[0]) : undefined;
  }

  async review(
    submissionId: string,
    decision: { status: 'accepted' | 'rejected'; reviewedBy?: string; note?: string; entryId?: string },
  ): Promise<ReviewResult> {
    const rows = await this.engine.query<SubmissionRow>(
      `UPDATE case_submissions SET status = $2, reviewed_at = $3::timestamptz, reviewed_by = $4,
         review_note = $5,
         entry_id = $6
       WHERE submission_id = $1 AND status = 'to_review' RETURNING *`,
      [
        submissionId,
        decision.status,
        timeParameter(this.now()),
        nullable(decision.reviewedBy),
        nullable(decision.note),
        nullable(decision.entryId),
      ],
    );
    if (rows[0]) return { ok: true, submission: submissionFromRow(rows[0]) };
    const existing = await this.get(submissionId);
    return existing
      ? { ok: false, reason: 'already_reviewed', submission: existing }
      : { ok: false, reason: 'not_found' };
  }
}

async function readLines(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8')).split('\n');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

const lineId = (prefix: string, index: number, line: string) =>
  `${prefix}:${createHash('sha256').update(`${index}:${line}`).digest('hex').slice(0, 32)}`;

/**
 * Imports the JSONL review queue that earlier versions appended under the data dir. Idempotent:
 * each line gets an id from its position and content, so a second run (or a second replica) adds
 * nothing. The files are left in place. Returns how many records were new.
 */
export async function importReviewQueueFiles(
  dataDir: string,
  feedbackStore: SqlFeedbackStore,
  submissions: SqlCaseSubmissionStore,
  now: Date,
): Promise<{ feedback: number; caseSubmissions: number; skipped: number }> {
  const paths = feedbackPaths(dataDir);
  let feedbackCount = 0;
  let submissionCount = 0;
  let skipped = 0;
  const feedbackLines = await readLines(paths.feedback);
  for (const [index, line] of feedbackLines.entries()) {
    const record = parseLine<Feedback & { receivedAt?: string }>(line);
    if (!record) {
      if (line.trim()) skipped++;
      continue;
    }
    if (record.rating !== 'helpful' && record.rating !== 'not_helpful') {
      skipped++;
      continue;
    }
    const receivedAt = record.receivedAt ? new Date(record.receivedAt) : now;
    const inserted = await feedbackStore.insert(
      { ...record, channel: record.channel ?? 'unknown' },
      lineId('jsonl-feedback', index, line),
      Number.isNaN(receivedAt.getTime()) ? now : receivedAt,
    );
    if (inserted) feedbackCount++;
  }
  const submissionLines = await readLines(paths.caseSubmissions);
  for (const [index, line] of submissionLines.entries()) {
    const record = parseLine<
      CaseSubmission & { channel?: string; user?: string; status?: CaseSubmissionStatus; receivedAt?: string }
    >(line);
    if (!record) {
      if (line.trim()) skipped++;
      continue;
    }
    const result = await submissions.submit(
      record,
      { channel: record.channel ?? 'unknown', user: record.user },
      {
        submissionKey: lineId('jsonl-case', index, line),
        submittedAt:
          record.receivedAt && !Number.isNaN(Date.parse(record.receivedAt))
            ? new Date(record.receivedAt)
            : now,
        status: record.status === 'accepted' || record.status === 'rejected' ? record.status : 'to_review',
      },
    );
    if (!result.ok) skipped++;
    else if (!result.duplicate) submissionCount++;
  }
  return { feedback: feedbackCount, caseSubmissions: submissionCount, skipped };
}

function parseLine<T>(line: string): T | undefined {
  if (!line.trim()) return undefined;
  try {
    const value = JSON.parse(line) as unknown;
    return value && typeof value === 'object' ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
