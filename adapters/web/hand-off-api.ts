import { z } from 'zod';
import type { Config, HandOff, NavigatorStore, WebSession } from '../../src/index.js';
import type { ChannelContext } from '../channel.js';
import { askerNotice, curatorReplyLabel, handOffRequestSchema } from '../curator-hand-off.js';
import { ApiFailure, type ApiRoute, type RouteInput } from './api-route.js';
import {
  answerSchema,
  askCuratorRequestSchema,
  askCuratorResponseSchema,
  handOffListQuerySchema,
  handOffListSchema,
  handOffReplyRequestSchema,
  handOffReplyResponseSchema,
  type CuratorHandOff,
  type TurnHandOff,
} from './api-schemas.js';
import { askerOf } from './browser-session.js';

// "Ask a curator" in the web chat: an answer is handed to the curator console (once per turn), a
// curator replies there, and the reply is kept on the hand-off, so the asker's conversation shows
// it, marked as a person's, on the next poll or reload.

export const handOffRoutes = {
  askCurator: {
    method: 'post',
    path: '/api/hand-off',
    summary: 'Hands an answer to the curators with an optional note; once per answer',
    access: 'asker',
    body: askCuratorRequestSchema,
    response: askCuratorResponseSchema,
    errors: {
      404: { description: 'No such answer in this conversation, or no curator console is configured' },
      429: { description: 'Too many hand-offs; see Retry-After' },
    },
  },
  list: {
    method: 'get',
    path: '/api/curate/hand-offs',
    summary: 'Questions handed over from the web chat, oldest first (default: the open ones)',
    access: 'curator',
    query: handOffListQuerySchema,
    response: handOffListSchema,
  },
  reply: {
    method: 'post',
    path: '/api/curate/hand-offs/:handOffId/reply',
    summary: 'Replies to the asker of a hand-off, which becomes answered; one reply per hand-off',
    access: 'curator',
    body: handOffReplyRequestSchema,
    response: handOffReplyResponseSchema,
    errors: {
      404: { description: 'No such hand-off from the web chat' },
      409: { description: 'Already answered, by another curator or in another tab' },
    },
  },
} satisfies Record<string, ApiRoute>;

/** Hand-offs need someone to read them: the console must have a way to sign in. */
export const handOffsEnabled = (web: Config['web']) => Boolean(web.curatorToken || web.oidc);

/** What a web hand-off keeps: the shared request, the turn it is about and the asker's note. */
const webHandOffPayloadSchema = handOffRequestSchema.extend({
  turnId: z.string(),
  note: z.string().optional(),
});

const sourceKeyOf = (turnId: string) => `web:turn:${turnId}`;
const hourMs = 60 * 60 * 1000;

/** A hand-off as the asker sees it under the answer. */
export function toTurnHandOff(handOff: HandOff): TurnHandOff {
  return {
    status: handOff.status,
    notice: askerNotice,
    ...(handOff.reply && handOff.answeredAt
      ? {
          reply: {
            label: curatorReplyLabel,
            text: handOff.reply,
            repliedAt: handOff.answeredAt.toISOString(),
          },
        }
      : {}),
  };
}

/** Turn id → its hand-off, for the turns of one conversation. */
export async function handOffsByTurn(
  store: NavigatorStore,
  conversationId: string,
): Promise<Map<string, TurnHandOff>> {
  const handOffs = await store.handOffs.listBySourceConversation(conversationId);
  const byTurn = new Map<string, TurnHandOff>();
  for (const handOff of handOffs) {
    const payload = webHandOffPayloadSchema.safeParse(handOff.payload);
    if (handOff.channel === 'web' && payload.success) byTurn.set(payload.data.turnId, toTurnHandOff(handOff));
  }
  return byTurn;
}

/** A hand-off as the curator sees it in the console. */
function toCuratorHandOff(handOff: HandOff): CuratorHandOff {
  const payload = webHandOffPayloadSchema.parse(handOff.payload);
  return {
    handOffId: handOff.handOffId,
    status: handOff.status,
    question: payload.question,
    answer: payload.answer,
    ...(payload.note ? { note: payload.note } : {}),
    ...(payload.asker ? { asker: payload.asker } : {}),
    askedAt: handOff.createdAt.toISOString(),
    reply: handOff.reply,
    repliedBy: handOff.repliedBy,
    answeredAt: handOff.answeredAt?.toISOString(),
  };
}

export function createHandOffHandlers(context: ChannelContext, store: NavigatorStore) {
  const { config } = context;
  const curatorName = (session: WebSession) => session.userName ?? session.userId ?? 'curator';

  /** A hand-off costs a curator's time: a few per hour per person, more per address. */
  async function checkRateLimits(session: WebSession, { request, response }: RouteInput<never, never>) {
    const verdict = await store.rateLimits.hitEach([
      { key: `web-hand-off:user:${askerOf(session)}`, limit: 5, windowMs: hourMs },
      { key: `web-hand-off:ip:${request.ip ?? 'unknown'}`, limit: 20, windowMs: hourMs },
    ]);
    if (verdict.allowed) return;
    const seconds = Math.ceil(verdict.retryAfterMs / 1000);
    response.setHeader('Retry-After', String(seconds));
    throw new ApiFailure(
      429,
      'rate_limited',
      `Too many questions handed to the curators this hour; try again in ${Math.ceil(seconds / 60)} min.`,
    );
  }

  return {
    askCurator: async (input: RouteInput<never, typeof askCuratorRequestSchema>) => {
      const { session, body } = input;
      if (!handOffsEnabled(config.web))
        throw new ApiFailure(
          404,
          'not_configured',
          'No curator console is configured (NAVIGATOR_CURATOR_TOKEN or OIDC_*).',
        );
      const turn = await store.webChatTurns.get(session.conversationId, body.turnId);
      if (!turn) throw new ApiFailure(404, 'not_found', 'That answer is not in this conversation.');
      // A second click (or a second tab) finds the first hand-off: no second one, no rate-limit hit.
      const existing = (await handOffsByTurn(store, session.conversationId)).get(turn.turnId);
      if (existing) return { created: false, handOff: existing };
      await checkRateLimits(session, input);
      const payload = webHandOffPayloadSchema.parse({
        question: turn.question,
        answer: answerSchema.parse(turn.answer).text,
        ...(session.userName ? { asker: session.userName } : {}),
        turnId: turn.turnId,
        ...(body.note ? { note: body.note } : {}),
      });
      const { handOff, created } = await store.handOffs.createOnce({
        channel: 'web',
        sourceConversation: session.conversationId,
        sourceKey: sourceKeyOf(turn.turnId),
        payload,
      });
      if (created) context.log('info', 'web: a question was handed to the curators');
      return { created, handOff: toTurnHandOff(handOff) };
    },

    list: async ({ query }: RouteInput<typeof handOffListQuerySchema, never>) => {
      const open = await store.handOffs.list('web', { status: 'open', limit: 1_000 });
      const shown =
        query.status === 'open'
          ? open
          : await store.handOffs.list('web', query.status === 'all' ? {} : { status: query.status });
      return { handOffs: shown.map(toCuratorHandOff), open: open.length };
    },

    reply: async ({ params, body, session }: RouteInput<never, typeof handOffReplyRequestSchema>) => {
      const handOffId = params.handOffId ?? '';
      const found = await store.handOffs.get(handOffId);
      if (!found || found.channel !== 'web')
        throw new ApiFailure(404, 'not_found', 'There is no such hand-off from the web chat.');
      const result = await store.handOffs.reply(handOffId, {
        text: body.reply,
        repliedBy: curatorName(session),
      });
      if (!result.ok)
        throw new ApiFailure(409, 'already_answered', 'This question was already answered by a curator.');
      context.log('info', `web: ${curatorName(session)} replied to a hand-off`);
      return { handOff: toCuratorHandOff(result.handOff) };
    },
  };
}
