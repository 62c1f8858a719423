import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { WebSession, WebSessionRole, WebSessions } from '../../src/index.js';
import { failureBody } from './api-route.js';

// The browser's session: a random token in an HttpOnly, SameSite=Lax cookie, the session itself in
// the shared store (so every replica knows it), and a CSRF token per session that every POST must
// echo in the x-csrf-token header — a header a cross-site form cannot set.

export const sessionCookieName = 'navigator_session';

/** How long each kind of session lasts. A visitor's keeps the conversation for a week. */
export const sessionLifetimeMs: Record<WebSessionRole, number> = {
  visitor: 7 * 24 * 60 * 60 * 1000,
  member: 12 * 60 * 60 * 1000,
  curator: 8 * 60 * 60 * 1000,
};

const sessions = new WeakMap<Request, WebSession>();

/** The session the request came with (after `loadSession`). */
export const sessionOf = (request: Request): WebSession | undefined => sessions.get(request);

export function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Loads the session named by the cookie, if it is live. */
export function loadSession(store: WebSessions): RequestHandler {
  return async (request: Request, _response: Response, next: NextFunction) => {
    const token = readCookie(request, sessionCookieName);
    if (token && /^[\w-]{20,100}$/.test(token)) {
      const session = await store.find(token);
      if (session) sessions.set(request, session);
    }
    next();
  };
}

export interface SessionIssuer {
  /** Starts a new session (a sign-in rotates it), replacing the request's old one. */
  issue(
    request: Request,
    response: Response,
    input: { role: WebSessionRole; userId?: string; userName?: string; signInMethod?: 'token' | 'oidc' },
  ): Promise<WebSession>;
  /** The request's session, or a new visitor session. */
  ensure(request: Request, response: Response): Promise<WebSession>;
  end(request: Request, response: Response): Promise<void>;
}

export function createSessionIssuer(store: WebSessions, secureCookies: boolean): SessionIssuer {
  const setCookie = (response: Response, token: string, maxAge: number) =>
    response.cookie(sessionCookieName, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies,
      path: '/',
      maxAge,
    });
  const issuer: SessionIssuer = {
    async issue(request, response, input) {
      const previous = sessionOf(request);
      if (previous) await store.remove(previous.sessionId);
      const ttlMs = sessionLifetimeMs[input.role];
      // A sign-in keeps the conversation the visitor had, so the chat does not vanish.
      const { token, session } = await store.create({
        ...input,
        ttlMs,
        conversationId: previous?.conversationId,
      });
      setCookie(response, token, ttlMs);
      sessions.set(request, session);
      return session;
    },
    async ensure(request, response) {
      return sessionOf(request) ?? issuer.issue(request, response, { role: 'visitor' });
    },
    async end(request, response) {
      const session = sessionOf(request);
      if (session) await store.remove(session.sessionId);
      sessions.delete(request);
      response.clearCookie(sessionCookieName, { path: '/' });
    },
  };
  return issuer;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares secrets in constant time (hashes first, so lengths do not leak either). */
export const sameSecret = (given: string, expected: string) =>
  timingSafeEqual(digest(given), digest(expected));

/** Refuses a state-changing request without the session's CSRF token (403). */
export function requireCsrfToken(): RequestHandler {
  return (request, response, next) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return next();
    const session = sessionOf(request);
    const given = request.get('x-csrf-token');
    if (!session || !given || !sameSecret(given, session.csrfToken)) {
      response
        .status(403)
        .json(
          failureBody(
            'csrf_invalid',
            'This request lacks the page’s CSRF token; reload the page and try again.',
          ),
        );
      return;
    }
    next();
  };
}

/** Who asks, for the rate limit and the (hashed) question log: the signed-in user, else the session. */
export const askerOf = (session: WebSession) =>
  session.userId ?? `web-session:${session.sessionId.slice(0, 32)}`;
