import type { Request, Response } from 'express';
import type { NavigatorStore, WebSession } from '../../src/index.js';
import type { ChannelContext } from '../channel.js';
import { ApiFailure, type ApiRoute, type RouteInput } from './api-route.js';
import { sessionSchema, tokenSignInSchema, type SessionBody } from './api-schemas.js';
import { sameSecret, type SessionIssuer } from './browser-session.js';
import { handOffsEnabled } from './hand-off-api.js';

// The session endpoint every page calls first, and sign-in with the curator token.

export const sessionRoutes = {
  session: {
    method: 'get',
    path: '/api/session',
    summary: 'This browser’s session (created when missing) with its CSRF token',
    access: 'session',
    response: sessionSchema,
  },
  tokenSignIn: {
    method: 'post',
    path: '/api/session/token',
    summary: 'Signs a curator in with NAVIGATOR_CURATOR_TOKEN',
    access: 'session',
    body: tokenSignInSchema,
    response: sessionSchema,
    errors: { 404: { description: 'No curator token is configured' } },
  },
  signOut: {
    method: 'post',
    path: '/api/session/sign-out',
    summary: 'Signs out; the browser continues as a visitor with a new session',
    access: 'session',
    response: sessionSchema,
  },
} satisfies Record<string, ApiRoute>;

export function createSessionHandlers(context: ChannelContext, store: NavigatorStore, issuer: SessionIssuer) {
  const { web } = context.config;
  const describe = (session: WebSession): SessionBody => ({
    role: session.role,
    ...(session.userName ? { userName: session.userName } : {}),
    csrfToken: session.csrfToken,
    chat: {
      access: web.chat,
      canAsk: web.chat === 'open' || (web.chat === 'sign-in' && session.role !== 'visitor'),
      ...(web.curatorContact ? { curatorContact: web.curatorContact } : {}),
      handOff: handOffsEnabled(web),
    },
    signIn: { token: Boolean(web.curatorToken), oidc: Boolean(web.oidc) },
  });

  return {
    /** GET /api/session runs before the session check: it creates the session. */
    session: async (request: Request, response: Response) => {
      response.setHeader('cache-control', 'no-store');
      response.json(sessionSchema.parse(describe(await issuer.ensure(request, response))));
    },

    tokenSignIn: async ({ body, request, response }: RouteInput<never, typeof tokenSignInSchema>) => {
      if (!web.curatorToken)
        throw new ApiFailure(
          404,
          'not_configured',
          'Token sign-in is off: NAVIGATOR_CURATOR_TOKEN is not set.',
        );
      // Guessing is limited per address: 10 tries in 15 minutes, shared by every replica.
      const limit = await store.rateLimits.hit(`web-token:ip:${request.ip ?? 'unknown'}`, 10, 15 * 60_000);
      if (!limit.allowed)
        throw new ApiFailure(429, 'rate_limited', 'Too many sign-in attempts; try again in 15 minutes.');
      if (!sameSecret(body.token, web.curatorToken))
        throw new ApiFailure(401, 'token_invalid', 'That is not the curator token.');
      return describe(
        await issuer.issue(request, response, {
          role: 'curator',
          userId: 'curator-token',
          userName: 'Curator',
          signInMethod: 'token',
        }),
      );
    },

    signOut: async ({ request, response }: RouteInput<never, never>) => {
      await issuer.end(request, response);
      return describe(await issuer.issue(request, response, { role: 'visitor' }));
    },
  };
}
