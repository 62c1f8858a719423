import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { NavigatorError } from '../errors.js';

/** A 👍/👎 on an answer, with an optional comment. */
export interface Feedback {
  channel: string;
  conversationId?: string;
  user?: string;
  /** The question the answer was for, when the channel still has it. */
  question?: string;
  rating: 'helpful' | 'not_helpful';
  comment?: string;
  citedIds?: string[];
  /** The rated answer as its reader saw it (plain text), when the channel still has it. */
  answer?: string;
  /** Where a curator can open the rated answer in its channel (a Slack permalink). */
  answerLink?: string;
}

/** Long enough for any answer the Navigator writes; a runaway one is cut, not refused. */
export const keptAnswerLength = 6_000;

/** A case proposed by a user, waiting for a curator; never written into knowledge/ directly. */
export const caseSubmissionSchema = z.object({
  title: z.string().trim().min(3, { message: 'Give the case a title of at least 3 characters.' }).max(200),
  country: z.string().trim().min(2, { message: 'Say which country it comes from.' }).max(100),
  organisation: z.string().trim().min(2, { message: 'Name the organisation behind it.' }).max(200),
  whatWasDone: z
    .string()
    .trim()
    .min(20, { message: 'Describe what was done in a sentence or two.' })
    .max(4_000),
  link: z.url({ protocol: /^https?$/, message: 'The link must be a full http(s) URL.' }),
});
export type CaseSubmission = z.infer<typeof caseSubmissionSchema>;

/** Where feedback and submissions are appended, one JSON object per line, under the data dir. */
export function feedbackPaths(dataDir: string) {
  const directory = join(dataDir, 'review-queue');
  return {
    directory,
    feedback: join(directory, 'feedback.jsonl'),
    caseSubmissions: join(directory, 'case-submissions.jsonl'),
  };
}

async function append(dataDir: string, file: string, record: object): Promise<void> {
  await mkdir(feedbackPaths(dataDir).directory, { recursive: true });
  await appendFile(file, `${JSON.stringify({ ...record, receivedAt: new Date().toISOString() })}\n`);
}

/** Records feedback on an answer for the curators and the evals. */
export async function recordFeedback(dataDir: string, feedback: Feedback): Promise<void> {
  await append(dataDir, feedbackPaths(dataDir).feedback, feedback);
}

/** Validates a case submission and queues it for review; returns the problems instead when invalid. */
export async function submitCase(
  dataDir: string,
  submission: unknown,
  submittedBy: { channel: string; user?: string },
): Promise<{ ok: true } | { ok: false; problems: Record<string, string> }> {
  const parsed = caseSubmissionSchema.safeParse(submission);
  if (!parsed.success) {
    const problems: Record<string, string> = {};
    for (const issue of parsed.error.issues) problems[String(issue.path[0] ?? 'form')] ??= issue.message;
    return { ok: false, problems };
  }
  try {
    await append(dataDir, feedbackPaths(dataDir).caseSubmissions, {
      ...parsed.data,
      ...submittedBy,
      status: 'to_review',
    });
  } catch (cause) {
    throw new NavigatorError('input_invalid', `Could not store the case submission under ${dataDir}.`, {
      cause,
    });
  }
  return { ok: true };
}
