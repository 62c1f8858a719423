import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import type { WebSession } from '../../src/index.js';
import type { ChannelContext } from '../channel.js';
import { errorSchema } from './api-schemas.js';

// One declaration per endpoint: its schemas serve the request check, the response check and the
// OpenAPI document, so the three cannot drift apart.

/** Who may call an endpoint: any browser session, one allowed to ask, or a signed-in curator. */
export type RouteAccess = 'session' | 'asker' | 'curator';

export interface ApiRoute<
  Query extends z.ZodType = z.ZodType,
  Body extends z.ZodType = z.ZodType,
  Result extends z.ZodType = z.ZodType,
> {
  method: 'get' | 'post';
  /** Express path, e.g. /api/curate/submissions/:submissionId */
  path: string;
  summary: string;
  access: RouteAccess;
  query?: Query;
  body?: Body;
  response: Result;
  /** Server-sent events instead of one JSON body: event name → data schema. */
  events?: Record<string, z.ZodType>;
  /** Documented error statuses besides 400/401/403. */
  errors?: Record<number, { description: string; schema?: z.ZodType }>;
}

export interface RouteInput<Query extends z.ZodType, Body extends z.ZodType> {
  query: z.output<Query>;
  body: z.output<Body>;
  params: Record<string, string>;
  session: WebSession;
  request: Request;
  response: Response;
}

/** A refusal with a status and a body in the API's error shape (or a documented schema). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export const failureBody = (code: string, message: string, details?: Record<string, string>) =>
  errorSchema.parse({ error: { code, message, ...(details ? { details } : {}) } });

/** Field → first problem, for a 400 that says what to fix. */
export function problemsOf(error: z.ZodError): Record<string, string> {
  const details: Record<string, string> = {};
  for (const issue of error.issues) details[issue.path.join('.') || 'body'] ??= issue.message;
  return details;
}

export function sendFailure(response: Response, failure: ApiFailure): void {
  response.status(failure.status).json(failure.body ?? failureBody(failure.code, failure.message));
}

export type SessionOf = (request: Request) => WebSession | undefined;
export type AccessCheck = (session: WebSession, access: RouteAccess) => ApiFailure | undefined;

/**
 * Mounts a route: checks access, parses query and body (400 with the problems), runs the handler,
 * and checks its result against the response schema (a mismatch is a server bug: 500, logged).
 * Event-stream routes write their own response and return undefined.
 */
export function mountRoute<Query extends z.ZodType, Body extends z.ZodType, Result extends z.ZodType>(
  router: Router,
  route: ApiRoute<Query, Body, Result>,
  handler: (input: RouteInput<Query, Body>) => Promise<z.input<Result> | undefined>,
  host: {
    sessionOf: SessionOf;
    checkAccess: AccessCheck;
    log: ChannelContext['log'];
    /** Run before the handler: session loading, and for POSTs the CSRF check. */
    before: RequestHandler[];
  },
): void {
  // Parsers and checks per route, so that other channels' paths under /api (Teams' /api/messages)
  // never meet them.
  const parsers = route.method === 'post' ? [express.json({ limit: '64kb' })] : [];
  router[route.method](
    route.path,
    ...host.before,
    ...parsers,
    async (request: Request, response: Response) => {
      try {
        const session = host.sessionOf(request);
        if (!session) throw new ApiFailure(401, 'session_required', 'Open GET /api/session first.');
        const refused = host.checkAccess(session, route.access);
        if (refused) throw refused;
        const query = (route.query ?? z.object({})).safeParse(request.query);
        if (!query.success)
          throw new ApiFailure(400, 'invalid_request', 'The query is not valid.', {
            error: {
              code: 'invalid_request',
              message: 'The query is not valid.',
              details: problemsOf(query.error),
            },
          });
        const body = (route.body ?? z.unknown()).safeParse(request.body ?? {});
        if (!body.success)
          throw new ApiFailure(400, 'invalid_request', 'The request body is not valid.', {
            error: {
              code: 'invalid_request',
              message: 'The request body is not valid.',
              details: problemsOf(body.error),
            },
          });
        const params = Object.fromEntries(
          Object.entries(request.params as Record<string, string | string[]>).map(([key, value]) => [
            key,
            Array.isArray(value) ? value.join('/') : value,
          ]),
        );
        const result = await handler({
          query: query.data as z.output<Query>,
          body: body.data as z.output<Body>,
          params,
          session,
          request,
          response,
        });
        if (route.events) return;
        const checked = route.response.safeParse(result);
        if (!checked.success) {
          host.log('error', `web: ${route.method.toUpperCase()} ${route.path} gave an invalid response`, {
            problems: problemsOf(checked.error),
          });
          throw new ApiFailure(500, 'internal', 'The server made a mistake; it has been logged.');
        }
        response.json(checked.data);
      } catch (error) {
        if (response.headersSent) {
          host.log('error', `web: ${route.path} failed after the response started`, error);
          response.end();
          return;
        }
        if (error instanceof ApiFailure) return sendFailure(response, error);
        host.log('error', `web: ${route.method.toUpperCase()} ${route.path} failed`, error);
        sendFailure(response, new ApiFailure(500, 'internal', 'Something went wrong; please try again.'));
      }
    },
  );
}
