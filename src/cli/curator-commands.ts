import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { openNavigatorStore, storeOptionsFromConfig, type SqlNavigatorStore } from '../store/open-store.js';
import type { StoredCaseSubmission } from '../store/review-queue.js';
import { scaffoldEntry, UsageError } from './kb-commands.js';

// The curators' commands on the shared store: the case submissions users sent (review), the
// questions the knowledge base did not serve (gaps), and the ratings and comments (feedback).

const write = (text: string) => process.stdout.write(`${text}\n`);
const dayMs = 24 * 60 * 60 * 1000;

/** `--since 2026-11-01` or `--since 30d`; default the last 30 days. */
export function parseSince(value: string | undefined, now = new Date()): Date {
  if (!value) return new Date(now.getTime() - 30 * dayMs);
  const days = /^(\d+)d$/.exec(value);
  if (days) return new Date(now.getTime() - Number(days[1]) * dayMs);
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`--since takes a date such as 2026-11-01 or a number of days such as 30d.`);
  return date;
}

async function withStore<T>(config: Config, work: (store: SqlNavigatorStore) => Promise<T>): Promise<T> {
  const store = await openNavigatorStore({ ...storeOptionsFromConfig(config), importJsonlQueues: true });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

const day = (date: Date) => date.toISOString().slice(0, 10);

function describeReview(submission: StoredCaseSubmission): string {
  const by = submission.reviewedBy ? ` by ${submission.reviewedBy}` : '';
  const entry = submission.entryId ? ` → ${submission.entryId}` : '';
  const note = submission.reviewNote ? ` (${submission.reviewNote})` : '';
  return `${day(submission.reviewedAt!)}${by}${entry}${note}`;
}

function describeSubmission(submission: StoredCaseSubmission): string {
  return [
    `${submission.submissionId}  ${submission.status}  ${day(submission.submittedAt)}`,
    `  Title:        ${submission.title}`,
    `  Country:      ${submission.country}`,
    `  Organisation: ${submission.organisation}`,
    `  Link:         ${submission.link}`,
    `  From:         ${submission.channel}${submission.submittedBy ? ` ${submission.submittedBy}` : ''}`,
    `  What was done:\n    ${submission.whatWasDone.replace(/\n/g, '\n    ')}`,
    ...(submission.reviewedAt ? [`  Reviewed:     ${describeReview(submission)}`] : []),
  ].join('\n');
}

/** `navigator review list|show|accept|reject`. */
export async function reviewCommand(config: Config, args: string[]): Promise<number> {
  const [action, id, ...rest] = args;
  return withStore(config, async (store) => {
    const submissions = store.caseSubmissions;
    if (action === 'list' || action === undefined) {
      const { values } = parseArgs({
        args: id ? [id, ...rest] : rest,
        options: { all: { type: 'boolean' } },
      });
      const listed = await submissions.list(values.all ? {} : { status: 'to_review' });
      if (listed.length === 0) write(values.all ? 'No case submissions.' : 'Nothing to review.');
      for (const { submissionId, status, submittedAt, title } of listed)
        write(`${submissionId}  ${status}  ${day(submittedAt)}  ${title}`);
      return 0;
    }
    if (!id) throw new UsageError(`navigator review ${action} <submission id>`);
    const submission = await submissions.get(id);
    if (!submission) {
      write(`No case submission ${id}; see navigator review list --all.`);
      return 1;
    }
    if (action === 'show') {
      write(describeSubmission(submission));
      return 0;
    }
    if (submission.status !== 'to_review') {
      write(`${id} was ${submission.status} already.`);
      return 1;
    }
    if (action === 'reject') {
      const { values } = parseArgs({
        args: rest,
        options: { note: { type: 'string' }, by: { type: 'string' } },
      });
      await submissions.review(id, { status: 'rejected', note: values.note, reviewedBy: values.by });
      write(`Rejected ${id}.`);
      return 0;
    }
    if (action === 'accept') return accept(config, store, submission, rest);
    throw new UsageError(`Unknown review action "${action}": list, show, accept or reject.`);
  });
}

/**
 * Writes the submission as a draft case through `kb new` (the same checks), with what the curator
 * adds as flags (level, facets, stage…), and marks the submission accepted only if it was written.
 */
async function accept(
  config: Config,
  store: SqlNavigatorStore,
  submission: StoredCaseSubmission,
  args: string[],
): Promise<number> {
  const { values } = parseArgs({
    args,
    allowPositionals: true,
    strict: false,
    options: { by: { type: 'string' }, note: { type: 'string' } },
  });
  const curatorFlags = args.filter(
    (arg, index) => !['--by', '--note'].includes(arg) && !['--by', '--note'].includes(args[index - 1] ?? ''),
  );
  const fromSubmission = [
    '--title',
    submission.title,
    '--summary',
    submission.whatWasDone,
    '--country',
    submission.country,
    '--organisation',
    submission.organisation,
    '--sources',
    submission.link,
  ];
  const written = await scaffoldEntry(config, ['case', ...fromSubmission, ...curatorFlags]);
  if (written.code !== 0 || !written.entryId) return written.code || 1;
  await store.caseSubmissions.review(submission.submissionId, {
    status: 'accepted',
    entryId: written.entryId,
    reviewedBy: typeof values.by === 'string' ? values.by : undefined,
    note: typeof values.note === 'string' ? values.note : undefined,
  });
  write(`Accepted ${submission.submissionId} as ${written.entryId}.`);
  return 0;
}

/** `navigator gaps [--since D]`: no-match questions and 👎 answers grouped by topic, with counts. */
export async function gapsCommand(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { since: { type: 'string' }, json: { type: 'boolean' } } });
  const since = parseSince(values.since);
  const gaps = await withStore(config, (store) => store.questionLog.gaps(since));
  if (values.json) write(JSON.stringify(gaps));
  else if (gaps.length === 0) write(`No gaps since ${day(since)}.`);
  else {
    write(`Gaps since ${day(since)} (no match · 👎 · total):`);
    for (const gap of gaps) write(`${gap.noMatch} · ${gap.notHelpful} · ${gap.total}  ${gap.topic}`);
  }
  return 0;
}

/** `navigator feedback [--since D]`: ratings and comments, newest first. */
export async function feedbackCommand(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { since: { type: 'string' }, json: { type: 'boolean' } } });
  const since = parseSince(values.since);
  const feedback = await withStore(config, (store) => store.feedback.since(since));
  if (values.json) write(JSON.stringify(feedback));
  else if (feedback.length === 0) write(`No feedback since ${day(since)}.`);
  else {
    const helpful = feedback.filter((item) => item.rating === 'helpful').length;
    write(`Feedback since ${day(since)}: ${helpful} 👍, ${feedback.length - helpful} 👎`);
    for (const item of feedback)
      write(
        `${day(item.receivedAt)} ${item.rating === 'helpful' ? '👍' : '👎'} ${item.channel}` +
          `${item.question ? `  “${item.question}”` : ''}${item.comment ? `\n    ${item.comment}` : ''}` +
          `${item.answerLink ? `\n    answer: ${item.answerLink}` : ''}`,
      );
  }
  return 0;
}
