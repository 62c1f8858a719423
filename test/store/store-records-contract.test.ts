import { createHmac } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/assistant/answer.js';
import { feedbackPaths, keptAnswerLength } from '../../src/feedback/feedback-store.js';
import type { SqlNavigatorStore } from '../../src/store/open-store.js';
import { importReviewQueueFiles } from '../../src/store/review-queue.js';
import {
  closeContractStores,
  contractSalt as salt,
  contractStart,
  day,
  emptyTables,
  hour,
  minute,
  openContractStores,
  storeFixtures,
} from './support/store-contract.js';

// The store contract, part two: what the channels record (Teams memory, shared answers, feedback
// and case submissions, the question log, channel state), on both engines.

const validCase = {
  title: 'Participatory budgeting in Porto Alegre',
  country: 'Brazil',
  organisation: 'City of Porto Alegre',
  whatWasDone: 'Citizens decided on part of the city budget in neighbourhood assemblies.',
  link: 'https://example.org/porto-alegre',
};

describe.each(storeFixtures)('the store records contract on the $name engine', (fixture) => {
  let clock = contractStart;
  const advance = (milliseconds: number) => {
    clock = new Date(clock.getTime() + milliseconds);
  };
  let store: SqlNavigatorStore;
  let replica: SqlNavigatorStore;

  beforeAll(async () => {
    ({ store, replica } = await openContractStores(fixture, () => clock));
  });
  afterAll(() => closeContractStores(fixture, store, replica));
  beforeEach(async () => {
    clock = contractStart;
    await emptyTables(store);
  });

  describe('Teams memory', () => {
    it('keeps conversation references and what each sent message answered, for any replica', async () => {
      const reference = {
        conversation: { id: '19:abc' },
        serviceUrl: 'http://127.0.0.1:1/',
        activityId: 'a1',
      };
      await store.teams.saveReference('teams:19:abc', reference);
      expect(await replica.teams.getReference('teams:19:abc')).toEqual(reference);
      await store.teams.saveReference('teams:19:abc', { ...reference, activityId: 'a2' });
      expect(await replica.teams.getReference('teams:19:abc')).toMatchObject({ activityId: 'a2' });
      await store.teams.rememberSentAnswer('activity-1', {
        question: 'How do I start a lab?',
        conversationId: 'teams:19:abc',
        citedIds: ['toolkit-a', 'case-b'],
        answer: 'Start small [1].',
      });
      expect(await replica.teams.recallSentAnswer('activity-1')).toEqual({
        question: 'How do I start a lab?',
        conversationId: 'teams:19:abc',
        citedIds: ['toolkit-a', 'case-b'],
        answer: 'Start small [1].',
      });
      expect(await replica.teams.recallSentAnswer(undefined)).toBeUndefined();
      expect(await replica.teams.recallSentAnswer('unknown')).toBeUndefined();
    });
  });

  describe('shared answers', () => {
    const answer: Answer = {
      status: 'answered',
      intent: 'question',
      text: 'Try a citizens’ assembly [1].',
      citations: [{ id: 'toolkit-a', type: 'toolkit', title: 'Assemblies' }],
      recommendedMethods: [],
      peerCases: [],
      skills: [],
      portfolio: [],
      followUps: [],
    };

    it('gives a kept answer to exactly one of several concurrent shares', async () => {
      const shareId = await store.sharedAnswers.keep({
        answer,
        question: 'assemblies?',
        conversationId: 'c',
      });
      const takes = await Promise.all([
        store.sharedAnswers.take(shareId),
        replica.sharedAnswers.take(shareId),
        replica.sharedAnswers.take(shareId),
      ]);
      const taken = takes.filter((take) => take !== undefined);
      expect(taken).toHaveLength(1);
      expect(taken[0]).toEqual({ answer, question: 'assemblies?', conversationId: 'c' });
    });

    it('refuses an expired share', async () => {
      const shareId = await store.sharedAnswers.keep({ answer, question: 'q', conversationId: 'c' });
      advance(31 * minute);
      expect(await replica.sharedAnswers.get(shareId)).toBeUndefined();
      expect(await replica.sharedAnswers.take(shareId)).toBeUndefined();
    });

    it('lets a share job read a kept answer without using it up, until it is taken', async () => {
      const shareId = await store.sharedAnswers.keep({ answer, question: 'q', conversationId: 'c' });
      expect(await replica.sharedAnswers.get(shareId)).toEqual({
        answer,
        question: 'q',
        conversationId: 'c',
      });
      expect(await store.sharedAnswers.get(shareId)).toBeDefined();
      expect(await store.sharedAnswers.take(shareId)).toBeDefined();
      expect(await replica.sharedAnswers.get(shareId)).toBeUndefined();
    });
  });

  describe('feedback and case submissions', () => {
    it('records feedback with the user hashed and lists it since a date', async () => {
      await store.feedback.record({ channel: 'slack', user: 'U123', rating: 'helpful', question: 'labs?' });
      advance(day);
      const since = clock;
      await replica.feedback.record({
        channel: 'teams',
        user: 'aad-1',
        rating: 'not_helpful',
        comment: 'Too generic',
        question: 'foresight in schools?',
        citedIds: ['toolkit-x'],
        conversationId: 'teams:c',
        answer: `Foresight in schools: ${'x'.repeat(10_000)}`,
        answerLink: 'https://psi.slack.com/archives/C1/p1710000000000100',
      });
      const recent = await store.feedback.since(since);
      expect(recent).toHaveLength(1);
      // A runaway answer is kept cut, not refused.
      expect(recent[0]!.answer).toHaveLength(keptAnswerLength);
      expect(recent[0]).toMatchObject({
        channel: 'teams',
        rating: 'not_helpful',
        comment: 'Too generic',
        citedIds: ['toolkit-x'],
        answer: expect.stringMatching(/^Foresight in schools: x+$/),
        answerLink: 'https://psi.slack.com/archives/C1/p1710000000000100',
        userHash: createHmac('sha256', salt).update('aad-1').digest('hex'),
      });
      expect(JSON.stringify(await store.feedback.since(new Date(0)))).not.toContain('U123');
    });

    it('validates, stores and reviews case submissions; a second decision is refused', async () => {
      const invalid = await store.caseSubmissions.submit(
        { ...validCase, link: 'ftp://x' },
        { channel: 'slack' },
      );
      expect(invalid).toEqual({ ok: false, problems: { link: 'The link must be a full http(s) URL.' } });
      const submitted = await store.caseSubmissions.submit(validCase, { channel: 'slack', user: 'U9' });
      expect(submitted).toMatchObject({ ok: true, duplicate: false });
      const submissionId = (submitted as { submissionId: string }).submissionId;
      expect(await replica.caseSubmissions.list({ status: 'to_review' })).toMatchObject([
        { submissionId, status: 'to_review', submittedBy: 'U9', ...validCase },
      ]);
      const accepted = await replica.caseSubmissions.review(submissionId, {
        status: 'accepted',
        reviewedBy: 'curator-1',
        entryId: 'brazil-porto-alegre-budgeting',
      });
      expect(accepted).toMatchObject({
        ok: true,
        submission: { status: 'accepted', reviewedBy: 'curator-1' },
      });
      const second = await store.caseSubmissions.review(submissionId, { status: 'rejected' });
      expect(second).toMatchObject({
        ok: false,
        reason: 'already_reviewed',
        submission: { status: 'accepted' },
      });
      expect(await store.caseSubmissions.review('missing', { status: 'rejected' })).toEqual({
        ok: false,
        reason: 'not_found',
      });
      expect(await store.caseSubmissions.list({ status: 'to_review' })).toEqual([]);
      expect((await store.caseSubmissions.get(submissionId))?.entryId).toBe('brazil-porto-alegre-budgeting');
    });

    it('stores a retried submission (same key) once', async () => {
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, index) =>
          (index % 2 === 0 ? store : replica).caseSubmissions.submit(
            validCase,
            { channel: 'slack' },
            { submissionKey: 'view:V1' },
          ),
        ),
      );
      const ids = new Set(results.map((result) => (result as { submissionId: string }).submissionId));
      expect(ids.size).toBe(1);
      expect(results.filter((result) => result.ok && !result.duplicate)).toHaveLength(1);
      expect(await store.caseSubmissions.list()).toHaveLength(1);
    });

    it('imports the JSONL review queue of earlier versions once, and keeps the files', async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'navigator-jsonl-'));
      const paths = feedbackPaths(dataDir);
      await mkdir(paths.directory, { recursive: true });
      await writeFile(
        paths.feedback,
        [
          JSON.stringify({
            channel: 'slack',
            rating: 'not_helpful',
            question: 'q1',
            receivedAt: '2029-12-01T00:00:00Z',
          }),
          'not json',
          JSON.stringify({
            channel: 'teams',
            rating: 'helpful',
            user: 'U1',
            receivedAt: '2029-12-02T00:00:00Z',
          }),
          '',
        ].join('\n'),
      );
      await writeFile(
        paths.caseSubmissions,
        `${JSON.stringify({ ...validCase, channel: 'teams', receivedAt: '2029-12-03T00:00:00Z' })}\n`,
      );
      const first = await importReviewQueueFiles(dataDir, store.feedback, store.caseSubmissions, clock);
      expect(first).toEqual({ feedback: 2, caseSubmissions: 1, skipped: 1 });
      const again = await importReviewQueueFiles(dataDir, replica.feedback, replica.caseSubmissions, clock);
      expect(again).toEqual({ feedback: 0, caseSubmissions: 0, skipped: 1 });
      const feedback = await store.feedback.since(new Date('2029-01-01T00:00:00Z'));
      expect(feedback.map((record) => record.receivedAt.toISOString())).toEqual([
        '2029-12-02T00:00:00.000Z',
        '2029-12-01T00:00:00.000Z',
      ]);
      expect((await store.caseSubmissions.list())[0]).toMatchObject({
        channel: 'teams',
        status: 'to_review',
      });
      await rm(dataDir, { recursive: true, force: true });
    });
  });

  describe('question log', () => {
    it('keeps the user only as a salted hash', async () => {
      await store.questionLog.record({
        channel: 'slack',
        intent: 'peer_cases',
        status: 'answered',
        topic: 'Peer cases on school meals',
        citedIds: ['case-1', 'case-2'],
        latencyMs: 812.4,
        language: 'en',
        user: 'U0SECRET',
      });
      const [entry] = await replica.questionLog.since(new Date(0));
      expect(entry).toMatchObject({
        channel: 'slack',
        intent: 'peer_cases',
        status: 'answered',
        citedIds: ['case-1', 'case-2'],
        latencyMs: 812,
        language: 'en',
        userHash: createHmac('sha256', salt).update('U0SECRET').digest('hex'),
      });
      const rows = await store.sql.query('SELECT * FROM question_log');
      expect(JSON.stringify(rows)).not.toContain('U0SECRET');
    });

    it('gives a person their own latest questions in one channel, newest first, each once', async () => {
      const asked = (user: string, topic: string, minutesAgo: number, channel = 'slack') =>
        store.questionLog.record({
          channel,
          intent: 'question',
          status: 'answered',
          topic,
          citedIds: [],
          latencyMs: 5,
          user,
          askedAt: new Date(clock.getTime() - minutesAgo * 60_000),
        });
      await asked('U1', 'What is foresight?', 30);
      await asked('U1', 'Who has made benefits proactive?', 20);
      await asked('U2', 'Someone else asked this', 10);
      await asked('U1', 'What is foresight?', 5);
      await asked('U1', 'Asked in Teams', 1, 'teams');
      expect(await replica.questionLog.recentOf('slack', 'U1')).toEqual([
        'What is foresight?',
        'Who has made benefits proactive?',
      ]);
      expect(await replica.questionLog.recentOf('slack', 'U3')).toEqual([]);
    });

    it('purges entries older than the retention (90 days by default)', async () => {
      const entry = {
        channel: 'teams',
        intent: 'question',
        status: 'answered',
        citedIds: [],
        latencyMs: 5,
      } as const;
      await store.questionLog.record({ ...entry, askedAt: new Date(clock.getTime() - 91 * day) });
      await store.questionLog.record({ ...entry, askedAt: new Date(clock.getTime() - 89 * day) });
      expect(await replica.questionLog.purge()).toBe(1);
      expect(await store.questionLog.since(new Date(0))).toHaveLength(1);
    });

    it('reports gaps: no-match questions and 👎 answers grouped by topic, since a date', async () => {
      const noMatch = (topic: string) =>
        store.questionLog.record({
          channel: 'slack',
          intent: 'question',
          status: 'no_match',
          topic,
          citedIds: [],
          latencyMs: 3,
        });
      await noMatch('Old gap');
      advance(day);
      const since = clock;
      await noMatch('Behavioural insights in tax collection?');
      await noMatch('behavioural   insights in TAX collection');
      await noMatch('Foresight for ministries');
      await store.questionLog.record({
        channel: 'slack',
        intent: 'question',
        status: 'answered',
        topic: 'Answered fine',
        citedIds: ['x'],
        latencyMs: 3,
      });
      advance(1);
      await replica.feedback.record({
        channel: 'teams',
        rating: 'not_helpful',
        question: 'Foresight for ministries.',
      });
      await replica.feedback.record({ channel: 'teams', rating: 'helpful', question: 'Answered fine' });
      advance(minute);
      await replica.feedback.record({
        channel: 'teams',
        rating: 'not_helpful',
        question: 'Open data portals',
      });
      const gaps = await replica.questionLog.gaps(since);
      expect(
        gaps.map(({ topic, noMatch: none, notHelpful, total }) => ({ topic, none, notHelpful, total })),
      ).toEqual([
        { topic: 'foresight for ministries', none: 1, notHelpful: 1, total: 2 },
        { topic: 'behavioural insights in tax collection', none: 2, notHelpful: 0, total: 2 },
        { topic: 'open data portals', none: 0, notHelpful: 1, total: 1 },
      ]);
      expect(gaps[0]?.lastSeenAt).toBeInstanceOf(Date);
    });
  });

  describe('channel state', () => {
    it('knows engaged threads, channel settings and hand-offs on every replica', async () => {
      await store.engagedThreads.engage('slack:C1:1700.1', { ttlMs: hour });
      expect(await replica.engagedThreads.isEngaged('slack:C1:1700.1')).toBe(true);
      expect(await replica.engagedThreads.isEngaged('slack:C1:1800.1')).toBe(false);
      advance(hour + 1);
      expect(await replica.engagedThreads.isEngaged('slack:C1:1700.1')).toBe(false);

      await store.channelSettings.set('slack:C1', { region: 'Europe', private: true }, 'U1');
      expect(await replica.channelSettings.get('slack:C1')).toEqual({ region: 'Europe', private: true });
      expect(await replica.channelSettings.get('slack:C2')).toBeUndefined();

      const handOff = await store.handOffs.create({
        channel: 'slack',
        sourceConversation: 'slack:C1:1700.1',
        payload: { question: 'q', answer: 'a' },
      });
      await store.handOffs.attachCuratorConversation(handOff.handOffId, 'slack:CURATORS:1900.1');
      const found = await replica.handOffs.findByCuratorConversation('slack:CURATORS:1900.1');
      expect(found).toMatchObject({
        handOffId: handOff.handOffId,
        status: 'open',
        payload: { question: 'q' },
      });
      expect(await replica.handOffs.setStatus(handOff.handOffId, 'answered')).toBe(true);
    });

    it('keeps one web hand-off per turn, lists them oldest first and takes one reply only', async () => {
      const ask = (turn: string, index: number) =>
        (index % 2 === 0 ? store : replica).handOffs.createOnce({
          channel: 'web',
          sourceConversation: 'web:conversation-1',
          sourceKey: `web:turn:${turn}`,
          payload: { turnId: turn, question: `question ${turn}`, answer: 'a' },
        });
      const clicks = await Promise.all(Array.from({ length: 6 }, (_, index) => ask('t1', index)));
      expect(clicks.filter((click) => click.created)).toHaveLength(1);
      expect(new Set(clicks.map((click) => click.handOff.handOffId)).size).toBe(1);
      advance(minute);
      const second = await ask('t2', 1);
      await store.handOffs.create({ channel: 'slack', sourceConversation: 'slack:C1:1.1', payload: {} });

      expect((await replica.handOffs.list('web')).map((handOff) => handOff.sourceKey)).toEqual([
        'web:turn:t1',
        'web:turn:t2',
      ]);
      const first = clicks[0]!.handOff;
      const replies = await Promise.all([
        store.handOffs.reply(first.handOffId, { text: 'See the Porto Alegre case.', repliedBy: 'Ana' }),
        replica.handOffs.reply(first.handOffId, { text: 'A second reply.', repliedBy: 'Ben' }),
      ]);
      expect(replies.filter((result) => result.ok)).toHaveLength(1);
      expect(replies.find((result) => !result.ok)).toEqual({ ok: false, reason: 'not_open' });
      expect(await store.handOffs.reply('no-such-hand-off', { text: 'x' })).toEqual({
        ok: false,
        reason: 'not_found',
      });
      const answered = await replica.handOffs.get(first.handOffId);
      const winner = replies.find((result) => result.ok);
      expect(answered).toMatchObject({
        status: 'answered',
        reply: winner?.ok ? winner.handOff.reply : 'none',
        answeredAt: clock,
      });
      expect((await store.handOffs.list('web', { status: 'open' })).map((h) => h.handOffId)).toEqual([
        second.handOff.handOffId,
      ]);
      expect((await store.handOffs.list('web', { status: 'answered' }))[0]?.handOffId).toBe(first.handOffId);
      const ofConversation = await replica.handOffs.listBySourceConversation('web:conversation-1');
      expect(ofConversation.map((handOff) => handOff.status)).toEqual(['answered', 'open']);
      expect(await store.handOffs.listBySourceConversation('web:conversation-2')).toEqual([]);
    });

    it('holds a rate limit across replicas', async () => {
      const decisions = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          (index % 2 === 0 ? store : replica).rateLimits.hit('user:U1', 6, minute),
        ),
      );
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(6);
      expect(decisions.find((decision) => !decision.allowed)?.retryAfterMs).toBe(minute);
      advance(minute);
      expect((await store.rateLimits.hit('user:U1', 6, minute)).allowed).toBe(true);
    });

    it('gives a due digest to one replica only, and schedules the next', async () => {
      await store.digestSubscriptions.subscribe('slack:C1', 'weekly', 'U1');
      expect(await store.digestSubscriptions.claimDue(minute)).toEqual([]);
      advance(7 * day);
      const [first, second] = await Promise.all([
        store.digestSubscriptions.claimDue(10 * minute),
        replica.digestSubscriptions.claimDue(10 * minute),
      ]);
      expect([...first, ...second]).toHaveLength(1);
      await store.digestSubscriptions.markSent('slack:C1');
      const [subscription] = await replica.digestSubscriptions.list();
      expect(subscription?.lastSentAt?.getTime()).toBe(clock.getTime());
      expect(subscription?.nextDueAt.getTime()).toBe(clock.getTime() + 7 * day);
      expect(await store.digestSubscriptions.unsubscribe('slack:C1')).toBe(true);
    });

    it('keeps what a digest subscription was told, also when its period changes', async () => {
      await store.digestSubscriptions.subscribe('teams:19:abc', 'weekly', 'U1', { 'case-a': 'h1' });
      const subscribed = await replica.digestSubscriptions.get('teams:19:abc');
      expect(subscribed).toMatchObject({
        period: 'weekly',
        subscribedAt: clock,
        entryHashes: { 'case-a': 'h1' },
      });
      expect(subscribed?.lastSentAt).toBeUndefined();
      expect(
        await replica.digestSubscriptions.saveEntryHashes('teams:19:abc', { 'case-a': 'h2', 'case-b': 'h3' }),
      ).toBe(true);
      advance(day);
      // A new period starts from now, but what the channel was told stays.
      await store.digestSubscriptions.subscribe('teams:19:abc', 'monthly', 'U2', { 'case-a': 'h9' });
      expect(await replica.digestSubscriptions.get('teams:19:abc')).toMatchObject({
        period: 'monthly',
        nextDueAt: new Date(clock.getTime() + 30 * day),
        entryHashes: { 'case-a': 'h2', 'case-b': 'h3' },
      });
      expect(await store.digestSubscriptions.unsubscribe('teams:19:abc')).toBe(true);
      expect(await store.digestSubscriptions.saveEntryHashes('teams:19:abc', {})).toBe(false);
      expect(await replica.digestSubscriptions.get('teams:19:abc')).toBeUndefined();
    });
  });
});
