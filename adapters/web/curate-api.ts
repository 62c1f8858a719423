import { createTwoFilesPatch } from 'diff';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  computeStats,
  facetIds,
  frontMatterFromAnswers,
  lifecycleStageIds,
  loadKnowledge,
  minimumCasesPerCell,
  missingAnswers,
  newEntryQuestions,
  slugify,
  writeNewEntry,
  type LoadedKnowledge,
  type NavigatorStore,
  type StoredCaseSubmission,
  type WebSession,
} from '../../src/index.js';
import type { ChannelContext } from '../channel.js';
import { ApiFailure, type ApiRoute, type RouteInput } from './api-route.js';
import {
  acceptResponseSchema,
  coverageSchema,
  draftSchema,
  feedbackListSchema,
  feedbackQuerySchema,
  gapReportSchema,
  gapsQuerySchema,
  problemsResponseSchema,
  rejectRequestSchema,
  submissionDetailSchema,
  submissionListQuerySchema,
  submissionListSchema,
  submissionResponseSchema,
  type Submission,
} from './api-schemas.js';
import { browseEntries, entriesRoute } from './entry-browser.js';

// The curator console's endpoints: the review queue, feedback, the gap report and coverage.

export const curateRoutes = {
  submissions: {
    method: 'get',
    path: '/api/curate/submissions',
    summary: 'Case submissions from every channel (default: all statuses, oldest first)',
    access: 'curator',
    query: submissionListQuerySchema,
    response: submissionListSchema,
  },
  submission: {
    method: 'get',
    path: '/api/curate/submissions/:submissionId',
    summary: 'One submission with a draft entry made from it',
    access: 'curator',
    response: submissionDetailSchema,
    errors: { 404: { description: 'No such submission' } },
  },
  accept: {
    method: 'post',
    path: '/api/curate/submissions/:submissionId/accept',
    summary: 'Writes the edited draft to knowledge/ (validated as by `kb new`) and accepts the submission',
    access: 'curator',
    body: draftSchema,
    response: acceptResponseSchema,
    errors: {
      404: { description: 'No such submission' },
      409: { description: 'Already reviewed, or a file with that id exists' },
      422: { description: 'The draft does not validate', schema: problemsResponseSchema },
    },
  },
  reject: {
    method: 'post',
    path: '/api/curate/submissions/:submissionId/reject',
    summary: 'Rejects a submission with a reason',
    access: 'curator',
    body: rejectRequestSchema,
    response: submissionResponseSchema,
    errors: {
      404: { description: 'No such submission' },
      409: { description: 'Already reviewed' },
    },
  },
  feedback: {
    method: 'get',
    path: '/api/curate/feedback',
    summary: 'Ratings and comments, filtered by period, channel and rating',
    access: 'curator',
    query: feedbackQuerySchema,
    response: feedbackListSchema,
  },
  gaps: {
    method: 'get',
    path: '/api/curate/gaps',
    summary: 'Questions with no match or rated 👎, grouped by topic, and their counts per day',
    access: 'curator',
    query: gapsQuerySchema,
    response: gapReportSchema,
  },
  coverage: {
    method: 'get',
    path: '/api/curate/coverage',
    summary: 'Cases and toolkits per facet × lifecycle stage and cases per country (as `kb stats`)',
    access: 'curator',
    response: coverageSchema,
  },
  entries: entriesRoute,
} satisfies Record<string, ApiRoute>;

const dayMs = 24 * 60 * 60 * 1000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export function toSubmission(submission: StoredCaseSubmission): Submission {
  return {
    ...submission,
    submittedAt: submission.submittedAt.toISOString(),
    reviewedAt: submission.reviewedAt?.toISOString(),
  };
}

/** The first two sentences, as a starting summary the curator edits. */
const firstSentences = (text: string) => (text.match(/[^.!?]+[.!?]+/g) ?? [text]).slice(0, 2).join('').trim();

export function createCurateHandlers(context: ChannelContext, store: NavigatorStore) {
  const { config } = context;
  // Curators may edit files by hand meanwhile: the knowledge base is read again after 30 s.
  let cached: { at: number; knowledge: Promise<LoadedKnowledge> } | undefined;
  const knowledge = () => {
    if (!cached || Date.now() - cached.at > 30_000)
      cached = { at: Date.now(), knowledge: loadKnowledge(config.knowledgeDir) };
    return cached.knowledge;
  };
  const reviewer = (session: WebSession) => session.userName ?? session.userId ?? 'curator';

  async function submissionOr404(submissionId: string) {
    const submission = await store.caseSubmissions.get(submissionId);
    if (!submission) throw new ApiFailure(404, 'not_found', 'There is no such submission.');
    return submission;
  }

  return {
    submissions: async ({ query }: RouteInput<typeof submissionListQuerySchema, never>) => {
      const list = await store.caseSubmissions.list(query.status ? { status: query.status } : {});
      return { submissions: list.map(toSubmission) };
    },

    submission: async ({ params }: RouteInput<never, never>) => {
      const submission = await submissionOr404(params.submissionId ?? '');
      const answers: Record<string, string> = Object.fromEntries(
        newEntryQuestions.case.map((question) => [question.field, '']),
      );
      Object.assign(answers, {
        title: submission.title,
        summary: firstSentences(submission.whatWasDone),
        country: submission.country,
        organisation: submission.organisation,
        sources: submission.link,
      });
      return {
        submission: toSubmission(submission),
        draft: {
          id: slugify(submission.title),
          answers,
          sections: { 'What was done': submission.whatWasDone },
        },
        questions: newEntryQuestions.case.map(({ choices, ...question }) => ({
          ...question,
          ...(choices ? { choices: [...choices] } : {}),
        })),
        sectionHeadings: ['The problem', 'What was done', 'What makes it innovative', 'Results', 'Lessons'],
      };
    },

    accept: async ({ params, body, session }: RouteInput<never, typeof draftSchema>) => {
      const submission = await submissionOr404(params.submissionId ?? '');
      if (submission.status !== 'to_review')
        throw new ApiFailure(409, 'already_reviewed', `This submission was already ${submission.status}.`);
      const missing = missingAnswers('case', body.answers);
      const invalid = (problems: { field: string; problem: string; fix: string }[]) =>
        new ApiFailure(422, 'draft_invalid', 'The draft does not validate.', {
          error: {
            code: 'draft_invalid',
            message: 'The draft does not validate; nothing was written.',
            problems,
          },
        });
      if (missing.length > 0)
        throw invalid(
          missing.map((question) => ({ field: question.field, problem: 'is empty', fix: question.prompt })),
        );
      const { vocabulary } = await knowledge();
      const frontMatter = frontMatterFromAnswers('case', body.answers, vocabulary, body.id);
      const result = await writeNewEntry(config.knowledgeDir, 'case', frontMatter, body.sections);
      if (!result.ok && result.reason === 'exists')
        throw new ApiFailure(
          409,
          'entry_exists',
          `${result.relativePath} already exists; choose another id.`,
        );
      if (!result.ok && result.reason === 'bad_id')
        throw invalid([
          { field: 'id', problem: 'is not a slug', fix: 'use lowercase words joined by hyphens' },
        ]);
      if (!result.ok && result.reason === 'invalid') throw invalid(result.problems);
      if (!result.ok) throw new ApiFailure(500, 'internal', 'The draft could not be written.');
      const reviewed = await store.caseSubmissions.review(submission.submissionId, {
        status: 'accepted',
        reviewedBy: reviewer(session),
        entryId: String(frontMatter.id),
      });
      if (!reviewed.ok) {
        // Another curator decided first: their decision stands, this file goes.
        await unlink(join(config.knowledgeDir, result.relativePath));
        throw new ApiFailure(409, 'already_reviewed', 'Another curator reviewed this submission first.');
      }
      cached = undefined;
      context.log('info', `web: ${reviewer(session)} accepted a submission as ${result.relativePath}`);
      return {
        submission: toSubmission(reviewed.submission),
        path: result.relativePath,
        diff: createTwoFilesPatch('/dev/null', `knowledge/${result.relativePath}`, '', result.text),
      };
    },

    reject: async ({ params, body, session }: RouteInput<never, typeof rejectRequestSchema>) => {
      const result = await store.caseSubmissions.review(params.submissionId ?? '', {
        status: 'rejected',
        reviewedBy: reviewer(session),
        note: body.reason,
      });
      if (!result.ok && result.reason === 'not_found')
        throw new ApiFailure(404, 'not_found', 'There is no such submission.');
      if (!result.ok) throw new ApiFailure(409, 'already_reviewed', 'This submission was already reviewed.');
      return { submission: toSubmission(result.submission) };
    },

    feedback: async ({ query }: RouteInput<typeof feedbackQuerySchema, never>) => {
      const to = query.to ? new Date(`${query.to}T00:00:00Z`).getTime() + dayMs : Date.now() + 1;
      const from = query.from ? new Date(`${query.from}T00:00:00Z`) : new Date(Date.now() - 30 * dayMs);
      const all = await store.feedback.since(from, { limit: 2_000 });
      const inPeriod = all.filter((record) => record.receivedAt.getTime() < to);
      const shown = inPeriod.filter(
        (record) =>
          (!query.channel || record.channel === query.channel) &&
          (!query.rating || record.rating === query.rating),
      );
      return {
        feedback: shown.map((record) => ({
          feedbackId: record.feedbackId,
          channel: record.channel,
          rating: record.rating,
          comment: record.comment,
          question: record.question,
          conversationId: record.conversationId,
          citedIds: record.citedIds,
          receivedAt: record.receivedAt.toISOString(),
          answer: record.answer,
          answerLink: record.answerLink?.startsWith('https://') ? record.answerLink : undefined,
        })),
        channels: [...new Set(['web', 'slack', 'teams', ...inPeriod.map((record) => record.channel)])].sort(),
      };
    },

    gaps: async ({ query }: RouteInput<typeof gapsQuerySchema, never>) => {
      const today = new Date(`${isoDay(new Date())}T00:00:00Z`).getTime();
      const since = new Date(today - (query.days - 1) * dayMs);
      const timeline = new Map<string, { noMatch: number; notHelpful: number }>();
      for (let at = since.getTime(); at <= today; at += dayMs)
        timeline.set(isoDay(new Date(at)), { noMatch: 0, notHelpful: 0 });
      for (const record of await store.questionLog.since(since, { limit: 20_000 }))
        if (record.status === 'no_match') timeline.get(isoDay(record.askedAt))!.noMatch += 1;
      for (const record of await store.feedback.since(since, { limit: 20_000 }))
        if (record.rating === 'not_helpful') timeline.get(isoDay(record.receivedAt))!.notHelpful += 1;
      const gaps = await store.questionLog.gaps(since);
      return {
        gaps: gaps.map((gap) => ({ ...gap, lastSeenAt: gap.lastSeenAt.toISOString() })),
        timeline: [...timeline].map(([day, counts]) => ({ day, ...counts })),
      };
    },

    coverage: async () => {
      const stats = computeStats(await knowledge());
      return {
        facets: [...facetIds],
        stages: [...lifecycleStageIds],
        cases: stats.casesByFacetAndStage,
        toolkits: stats.toolkitsByFacetAndStage,
        casesByCountry: Object.entries(stats.byCountry)
          .map(([country, cases]) => ({ country, cases }))
          .sort((a, b) => b.cases - a.cases || a.country.localeCompare(b.country)),
        gaps: stats.gaps,
        minimumCasesPerCell,
      };
    },

    entries: async ({ query }: RouteInput<typeof entriesRoute.query, never>) =>
      browseEntries(await knowledge(), query),
  };
}
