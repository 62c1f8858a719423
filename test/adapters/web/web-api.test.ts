import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptResponseSchema,
  conversationSchema,
  coverageSchema,
  entriesSchema,
  errorSchema,
  feedbackListSchema,
  gapReportSchema,
  problemsResponseSchema,
  sessionSchema,
  streamEventSchemas,
  submissionDetailSchema,
  submissionListSchema,
  submissionResponseSchema,
  turnSchema,
} from '../../../adapters/web/api-schemas.js';
import { apiRoutes } from '../../../adapters/web/web-channel.js';
import { loadKnowledge, type Question } from '../../../src/index.js';
import { startWebTestServer, WebClient, type WebTestServer } from './support/web-test-server.js';

// The web API over a real socket: the shared server with the web channel, the embedded store and the
// offline Navigator. Every body is checked against the same zod schemas the server uses.

const curatorToken = 'curator-token-for-tests-0123456789';
let server: WebTestServer;

beforeAll(async () => {
  server = await startWebTestServer({ NAVIGATOR_CURATOR_TOKEN: curatorToken });
});
afterAll(async () => server?.close());

/** Reads a server-sent event stream into its events. */
async function readEvents(response: Response): Promise<{ event: string; data: any }[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((frame) => frame.trim())
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? 'message';
      const data = JSON.parse(/^data: (.*)$/m.exec(frame)?.[1] ?? 'null');
      return { event, data };
    });
}

async function curator(): Promise<WebClient> {
  const client = new WebClient(server.url);
  await client.open();
  const response = await client.post('/api/session/token', { token: curatorToken });
  expect(response.status).toBe(200);
  client.csrfToken = sessionSchema.parse(await response.json()).csrfToken;
  return client;
}

describe('the web API contract', () => {
  it('documents every route in OpenAPI 3.1 generated from the schemas', async () => {
    const document = await (await fetch(`${server.url}/api/openapi.json`)).json();
    expect(document.openapi).toBe('3.1.0');
    for (const route of apiRoutes)
      expect(document.paths[route.path.replace(/:(\w+)/g, '{$1}')][route.method]).toBeDefined();
    const ask = document.paths['/api/ask'].post;
    expect(ask.requestBody.content['application/json'].schema.properties.question.type).toBe('string');
    expect(ask.responses['200'].content['application/json'].schema.properties.answer).toBeDefined();
    expect(document.paths['/api/ask/stream'].post['x-events'].delta).toBeDefined();
  });

  it('sends a CSP without inline scripts, frame-ancestors none and nosniff', async () => {
    const response = await fetch(`${server.url}/api/session`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('set-cookie')).toMatch(/navigator_session=.*HttpOnly.*SameSite=Lax/i);
  });

  it('refuses a POST without the CSRF token, or with a forged one', async () => {
    const client = new WebClient(server.url);
    await client.open();
    const missing = await client.post('/api/ask', { question: 'foresight' }, { 'x-csrf-token': '' });
    expect(missing.status).toBe(403);
    expect(errorSchema.parse(await missing.json()).error.code).toBe('csrf_invalid');
    const forged = await client.post('/api/ask', { question: 'foresight' }, { 'x-csrf-token': 'forged' });
    expect(forged.status).toBe(403);
    // Another session's token is no good either.
    const other = new WebClient(server.url);
    const otherSession = await other.open();
    const crossed = await client.post(
      '/api/ask',
      { question: 'x' },
      { 'x-csrf-token': otherSession.csrfToken },
    );
    expect(crossed.status).toBe(403);
  });

  it('answers malformed input with a 4xx that says what is wrong', async () => {
    const client = new WebClient(server.url);
    await client.open();
    const broken = await client.post('/api/ask', '{"question": ');
    expect(broken.status).toBe(400);
    expect(errorSchema.parse(await broken.json()).error.code).toBe('invalid_request');
    const empty = await client.post('/api/ask', { question: '   ' });
    expect(empty.status).toBe(400);
    expect(errorSchema.parse(await empty.json()).error.details?.question).toBe('Type a question.');
    const unknown = await client.get('/api/nothing-here');
    expect(unknown.status).toBe(404);
    const noSession = await fetch(`${server.url}/api/conversation`);
    expect(noSession.status).toBe(401);
  });

  it('answers, keeps the conversation across reloads, and streams the answer text', async () => {
    const client = new WebClient(server.url);
    await client.open();
    const response = await client.post('/api/ask', {
      question: 'How do cities let residents vote on the budget?',
    });
    expect(response.status).toBe(200);
    const turn = turnSchema.parse(await response.json());
    expect(turn.answer.citations.length).toBeGreaterThan(0);
    expect(turn.answer.text).toMatch(/\[1\]/);
    expect(turn.aiGenerated).toBe(false);

    const stream = await client.post('/api/ask/stream', { question: 'Any in France?' });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const events = await readEvents(stream);
    const deltas = events.filter((event) => event.event === 'delta');
    expect(deltas.length).toBeGreaterThan(0);
    const final = streamEventSchemas.turn.parse(events.at(-1)!.data);
    expect(deltas.map((event) => streamEventSchemas.delta.parse(event.data).text).join('')).toBe(
      final.answer.text,
    );

    // A reload: the same cookie, a fresh page.
    const conversation = conversationSchema.parse(await (await client.get('/api/conversation')).json());
    expect(conversation.turns.map((shown) => shown.question)).toEqual([
      'How do cities let residents vote on the budget?',
      'Any in France?',
    ]);
    const fresh = conversationSchema.parse(await (await client.post('/api/conversation/new')).json());
    expect(fresh.turns).toEqual([]);
    expect((await (await client.get('/api/conversation')).json()).turns).toEqual([]);
  });

  it('records 👎 with a comment for the curators, only for answers of this conversation', async () => {
    const client = new WebClient(server.url);
    await client.open();
    const turn = turnSchema.parse(
      await (await client.post('/api/ask', { question: 'regional foresight' })).json(),
    );
    const rated = await client.post('/api/feedback', {
      turnId: turn.turnId,
      rating: 'not_helpful',
      comment: 'Wanted examples from Asia',
    });
    expect(rated.status).toBe(200);
    const stored = (await server.store.feedback.since(new Date(0))).find(
      (record) => record.comment === 'Wanted examples from Asia',
    );
    expect(stored).toMatchObject({
      channel: 'web',
      rating: 'not_helpful',
      question: 'regional foresight',
      answer: turn.answer.text,
    });
    const again = conversationSchema.parse(await (await client.get('/api/conversation')).json());
    expect(again.turns[0]!.rating).toBe('not_helpful');
    const stranger = new WebClient(server.url);
    await stranger.open();
    const refused = await stranger.post('/api/feedback', { turnId: turn.turnId, rating: 'helpful' });
    expect(refused.status).toBe(404);
  });
});

describe('the curator API', () => {
  it('refuses visitors and wrong tokens, and rotates the session on sign-in', async () => {
    const visitor = new WebClient(server.url);
    await visitor.open();
    expect((await visitor.get('/api/curate/submissions')).status).toBe(401);
    expect((await visitor.post('/api/session/token', { token: 'wrong' })).status).toBe(401);
    const before = visitor.csrfToken;
    const signedIn = await visitor.post('/api/session/token', { token: curatorToken });
    const session = sessionSchema.parse(await signedIn.json());
    expect(session.role).toBe('curator');
    expect(session.csrfToken).not.toBe(before);
  });

  it('turns a Slack submission into a valid knowledge file, shown as a diff', async () => {
    const submitted = await server.store.caseSubmissions.submit(
      {
        title: 'Open data for school meals',
        country: 'France',
        organisation: 'City of Exampleville',
        whatWasDone: 'The city published school meal data. Parents used it to suggest changes to menus.',
        link: 'https://example.org/school-meals',
      },
      { channel: 'slack', user: 'U123' },
    );
    expect(submitted.ok).toBe(true);
    const submissionId = submitted.ok ? submitted.submissionId : '';
    const client = await curator();
    const queue = submissionListSchema.parse(await (await client.get('/api/curate/submissions')).json());
    expect(queue.submissions.find((entry) => entry.submissionId === submissionId)?.channel).toBe('slack');
    const detail = submissionDetailSchema.parse(
      await (await client.get(`/api/curate/submissions/${submissionId}`)).json(),
    );
    expect(detail.draft.id).toBe('open-data-for-school-meals');

    const incomplete = await client.post(`/api/curate/submissions/${submissionId}/accept`, detail.draft);
    expect(incomplete.status).toBe(422);
    expect(
      problemsResponseSchema.parse(await incomplete.json()).error.problems.map((p) => p.field),
    ).toContain('level');
    const wrongValue = await client.post(`/api/curate/submissions/${submissionId}/accept`, {
      ...detail.draft,
      answers: { ...completeAnswers(detail.draft.answers), lifecycle_stage: 'finished' },
    });
    expect(wrongValue.status).toBe(422);
    expect(existsSync(join(server.knowledgeDir, 'cases', 'open-data-for-school-meals.md'))).toBe(false);

    const accepted = await client.post(`/api/curate/submissions/${submissionId}/accept`, {
      ...detail.draft,
      answers: completeAnswers(detail.draft.answers),
    });
    expect(accepted.status).toBe(200);
    const result = acceptResponseSchema.parse(await accepted.json());
    expect(result.path).toBe(join('cases', 'open-data-for-school-meals.md'));
    expect(result.diff).toContain('+++ knowledge/cases/open-data-for-school-meals.md');
    expect(result.diff).toContain('+title: Open data for school meals');
    expect(result.submission).toMatchObject({ status: 'accepted', entryId: 'open-data-for-school-meals' });
    const knowledge = await loadKnowledge(server.knowledgeDir);
    expect(knowledge.entries.map((entry) => entry.id)).toContain('open-data-for-school-meals');
    expect(knowledge.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    const twice = await client.post(`/api/curate/submissions/${submissionId}/accept`, detail.draft);
    expect(twice.status).toBe(409);
  });

  it('rejects a submission with a reason', async () => {
    const submitted = await server.store.caseSubmissions.submit(
      {
        title: 'A duplicate',
        country: 'Finland',
        organisation: 'Some Region',
        whatWasDone: 'The same regional foresight work as an existing case, submitted again.',
        link: 'https://example.org/duplicate',
      },
      { channel: 'teams' },
    );
    const submissionId = submitted.ok ? submitted.submissionId : '';
    const client = await curator();
    const refused = await client.post(`/api/curate/submissions/${submissionId}/reject`, { reason: '' });
    expect(refused.status).toBe(400);
    const rejected = await client.post(`/api/curate/submissions/${submissionId}/reject`, {
      reason: 'Already in the knowledge base as regional-foresight',
    });
    expect(submissionResponseSchema.parse(await rejected.json()).submission).toMatchObject({
      status: 'rejected',
      reviewNote: 'Already in the knowledge base as regional-foresight',
    });
  });

  it('reports feedback, gaps, coverage and entries', async () => {
    const client = await curator();
    const feedback = feedbackListSchema.parse(
      await (await client.get('/api/curate/feedback?channel=web&rating=not_helpful')).json(),
    );
    expect(feedback.feedback.map((record) => record.comment)).toContain('Wanted examples from Asia');
    expect((await client.get('/api/curate/feedback?from=yesterday')).status).toBe(400);
    // A Slack rating links to its answer; a link that is not https is never handed to the page.
    for (const answerLink of ['https://psi.slack.com/archives/C1/p1710000000000100', 'javascript:alert(1)'])
      await server.store.feedback.record({
        channel: 'slack',
        rating: 'helpful',
        question: `Linked ${answerLink.slice(0, 5)}`,
        answer: 'Estonia [1]',
        answerLink,
      });
    const slack = feedbackListSchema.parse(
      await (await client.get('/api/curate/feedback?channel=slack')).json(),
    ).feedback;
    expect(slack.map(({ question, answerLink }) => [question, answerLink])).toEqual(
      expect.arrayContaining([
        ['Linked https', 'https://psi.slack.com/archives/C1/p1710000000000100'],
        ['Linked javas', undefined],
      ]),
    );
    const gaps = gapReportSchema.parse(await (await client.get('/api/curate/gaps?days=7')).json());
    expect(gaps.timeline).toHaveLength(7);
    expect(gaps.gaps.map((gap) => gap.topic)).toContain('regional foresight');
    expect(gaps.timeline.at(-1)!.notHelpful).toBeGreaterThan(0);
    const coverage = coverageSchema.parse(await (await client.get('/api/curate/coverage')).json());
    expect(coverage.cases.adaptive!['diffusing-lessons']).toBeGreaterThan(0);
    expect(coverage.casesByCountry.find((row) => row.country === 'France')?.cases).toBeGreaterThan(0);
    const entries = entriesSchema.parse(
      await (await client.get('/api/curate/entries?country=France')).json(),
    );
    expect(entries.entries.map((entry) => entry.id)).toContain('city-budget-vote');
    expect(entries.entries.every((entry) => entry.details[0] === 'France')).toBe(true);
    expect(entries.options.country).toContain('Finland');
    const toolkits = entriesSchema.parse(await (await client.get('/api/curate/entries?type=toolkit')).json());
    expect(toolkits.entries.every((entry) => entry.type === 'toolkit')).toBe(true);
  });
});

function completeAnswers(answers: Record<string, string>): Record<string, string> {
  return {
    ...answers,
    summary: 'The city published school meal data as open data. Parents used it to suggest healthier menus.',
    level: 'local',
    organisation_type: 'municipality',
    year: '2021',
    sectors: 'education',
    lifecycle_stage: 'implementing-projects',
    facets: 'enhancement-oriented',
    facet_reason: 'It improves an existing service with data parents can use.',
    methods: 'open-data',
  };
}

describe('a chat for signed-in users, with rate limits and a streaming Navigator', () => {
  let limited: WebTestServer;
  const streamedPieces = ['Streamed ', 'by the core ', '[1].'];
  beforeAll(async () => {
    limited = await startWebTestServer(
      {
        NAVIGATOR_WEB_ASKS_PER_MINUTE: '2',
        NAVIGATOR_WEB_CHAT: 'sign-in',
        NAVIGATOR_CURATOR_TOKEN: curatorToken,
      },
      {
        // A core with a streaming ask: its pieces must reach the browser as they are.
        navigator: (real) => ({
          usesLanguageModel: true,
          ask: (question) => real.ask(question),
          async *askStream(question: Question) {
            const answer = await real.ask(question);
            for (const text of streamedPieces) yield { type: 'text' as const, text };
            yield { type: 'final' as const, answer: { ...answer, text: streamedPieces.join('') } };
          },
        }),
      },
    );
  });
  afterAll(async () => limited?.close());

  it('refuses visitors when the chat requires sign-in', async () => {
    const visitor = new WebClient(limited.url);
    const session = sessionSchema.parse(await visitor.open());
    expect(session.chat).toMatchObject({ access: 'sign-in', canAsk: false });
    const refused = await visitor.post('/api/ask', { question: 'foresight' });
    expect(refused.status).toBe(401);
    expect(errorSchema.parse(await refused.json()).error.code).toBe('sign_in_required');
  });

  it('passes a streaming core through, labels it AI-generated, and limits questions per minute', async () => {
    const client = new WebClient(limited.url);
    await client.open();
    const signedIn = sessionSchema.parse(
      await (await client.post('/api/session/token', { token: curatorToken })).json(),
    );
    client.csrfToken = signedIn.csrfToken;
    const events = await readEvents(await client.post('/api/ask/stream', { question: 'foresight' }));
    expect(events.filter((event) => event.event === 'delta').map((event) => event.data.text)).toEqual(
      streamedPieces,
    );
    expect(streamEventSchemas.turn.parse(events.at(-1)!.data).aiGenerated).toBe(true);
    expect((await client.post('/api/ask', { question: 'budget votes' })).status).toBe(200);
    const refused = await client.post('/api/ask', { question: 'benefits' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(errorSchema.parse(await refused.json()).error.code).toBe('rate_limited');
  });
});
