import type { Request, Response } from 'express';
import {
  questionLogEntry,
  type Answer,
  type NavigatorStore,
  type Question,
  type WebChatTurn,
  type WebSession,
} from '../../src/index.js';
import type { ChannelContext } from '../channel.js';
import { ApiFailure, failureBody, type ApiRoute, type RouteInput } from './api-route.js';
import {
  answerSchema,
  askRequestSchema,
  conversationSchema,
  feedbackRequestSchema,
  feedbackResponseSchema,
  streamEventSchemas,
  turnSchema,
  type Turn,
  type TurnHandOff,
} from './api-schemas.js';
import { streamAnswer } from './answer-stream.js';
import { askerOf } from './browser-session.js';
import { handOffsByTurn } from './hand-off-api.js';

// The chat's endpoints: the conversation so far, asking (whole or streamed), and 👍/👎.

export const chatRoutes = {
  conversation: {
    method: 'get',
    path: '/api/conversation',
    summary: 'The conversation of this browser session (kept across reloads)',
    access: 'session',
    response: conversationSchema,
  },
  newConversation: {
    method: 'post',
    path: '/api/conversation/new',
    summary: 'Starts a new conversation',
    access: 'session',
    response: conversationSchema,
  },
  ask: {
    method: 'post',
    path: '/api/ask',
    summary: 'Asks a question; the whole answer in one response',
    access: 'asker',
    body: askRequestSchema,
    response: turnSchema,
    errors: { 429: { description: 'Too many questions; see Retry-After' } },
  },
  askStream: {
    method: 'post',
    path: '/api/ask/stream',
    summary: 'Asks a question; the answer as server-sent events while it is written',
    access: 'asker',
    body: askRequestSchema,
    response: turnSchema,
    events: streamEventSchemas,
    errors: { 429: { description: 'Too many questions; see Retry-After' } },
  },
  feedback: {
    method: 'post',
    path: '/api/feedback',
    summary: 'Rates an answer 👍/👎, with an optional comment, for the curators',
    access: 'session',
    body: feedbackRequestSchema,
    response: feedbackResponseSchema,
    errors: { 404: { description: 'No such answer in this conversation' } },
  },
} satisfies Record<string, ApiRoute>;

export function toTurn(turn: WebChatTurn, aiGenerated: boolean, handOff?: TurnHandOff): Turn {
  return {
    turnId: turn.turnId,
    question: turn.question,
    answer: answerSchema.parse(turn.answer),
    ...(turn.rating ? { rating: turn.rating } : {}),
    askedAt: turn.askedAt.toISOString(),
    aiGenerated,
    ...(handOff ? { handOff } : {}),
  };
}

export interface ChatHost {
  context: ChannelContext;
  store: NavigatorStore;
}

export function createChatHandlers({ context, store }: ChatHost) {
  const { navigator, config } = context;
  const aiGenerated = (answer: Answer) => navigator.usesLanguageModel && answer.status !== 'degraded';

  async function conversationOf(session: WebSession) {
    const turns = await store.webChatTurns.list(session.conversationId);
    const handOffs = await handOffsByTurn(store, session.conversationId);
    return {
      conversationId: session.conversationId,
      turns: turns.map((turn) =>
        toTurn(
          turn,
          Boolean((turn.answer as { aiGenerated?: boolean }).aiGenerated),
          handOffs.get(turn.turnId),
        ),
      ),
    };
  }

  async function checkRateLimits(session: WebSession, request: Request, response: Response) {
    const minute = 60_000;
    const decisions = [
      await store.rateLimits.hit(`web-ask:user:${askerOf(session)}`, config.web.asksPerMinute.user, minute),
      await store.rateLimits.hit(
        `web-ask:ip:${request.ip ?? 'unknown'}`,
        config.web.asksPerMinute.ip,
        minute,
      ),
    ];
    const refused = decisions.find((decision) => !decision.allowed);
    if (!refused) return;
    response.setHeader('Retry-After', String(Math.ceil(refused.retryAfterMs / 1000)));
    throw new ApiFailure(
      429,
      'rate_limited',
      `Too many questions in a minute; try again in ${Math.ceil(refused.retryAfterMs / 1000)} s.`,
    );
  }

  /** Logs the question for the gap report and keeps the turn for reloads. */
  async function keep(question: Question, answer: Answer, startedAt: number): Promise<Turn> {
    await store.questionLog
      .record(questionLogEntry(question, answer, performance.now() - startedAt))
      .catch((error: unknown) => context.log('warn', 'web: could not log the question', error));
    const generated = aiGenerated(answer);
    const stored = await store.webChatTurns.append(question.conversationId!, question.text, {
      ...answerSchema.parse(answer),
      aiGenerated: generated,
    });
    return toTurn(stored, generated);
  }

  const questionOf = (session: WebSession, text: string): Question => ({
    text,
    conversationId: session.conversationId,
    user: askerOf(session),
    channel: 'web',
  });

  return {
    conversation: ({ session }: RouteInput<never, never>) => conversationOf(session),

    newConversation: async ({ session }: RouteInput<never, never>) => {
      const conversationId = `web:${crypto.randomUUID()}`;
      await store.webSessions.setConversation(session.sessionId, conversationId);
      return { conversationId, turns: [] };
    },

    ask: async ({ session, body, request, response }: RouteInput<never, typeof askRequestSchema>) => {
      await checkRateLimits(session, request, response);
      const startedAt = performance.now();
      const question = questionOf(session, body.question);
      return keep(question, await navigator.ask(question), startedAt);
    },

    askStream: async ({ session, body, request, response }: RouteInput<never, typeof askRequestSchema>) => {
      await checkRateLimits(session, request, response);
      const startedAt = performance.now();
      const question = questionOf(session, body.question);
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      });
      const send = (event: keyof typeof streamEventSchemas, data: unknown) =>
        response.write(`event: ${event}\ndata: ${JSON.stringify(streamEventSchemas[event].parse(data))}\n\n`);
      try {
        for await (const piece of streamAnswer(navigator, question)) {
          if (piece.type === 'delta') send('delta', { text: piece.text });
          else send('turn', await keep(question, piece.answer, startedAt));
        }
      } catch (error) {
        context.log('error', 'web: a streamed answer failed', error);
        send('error', failureBody('answer_failed', 'The answer could not be finished; please ask again.'));
      }
      response.end();
      return undefined;
    },

    feedback: async ({ session, body }: RouteInput<never, typeof feedbackRequestSchema>) => {
      const turn = await store.webChatTurns.get(session.conversationId, body.turnId);
      if (!turn) throw new ApiFailure(404, 'not_found', 'That answer is not in this conversation.');
      const answer = answerSchema.parse(turn.answer);
      const feedbackId = await store.feedback.record({
        channel: 'web',
        conversationId: session.conversationId,
        user: askerOf(session),
        question: turn.question,
        rating: body.rating,
        ...(body.comment ? { comment: body.comment } : {}),
        citedIds: answer.citations.map((citation) => citation.id),
        answer: answer.text,
      });
      await store.webChatTurns.rate(session.conversationId, turn.turnId, body.rating);
      return { feedbackId };
    },
  };
}
