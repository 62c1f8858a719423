import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { projectRoot, type NavigatorStore, type WebSession } from '../../src/index.js';
import type { Channel, ChannelContext } from '../channel.js';
import { ApiFailure, failureBody, mountRoute, type ApiRoute, type RouteAccess } from './api-route.js';
import { createSessionIssuer, loadSession, requireCsrfToken, sessionOf } from './browser-session.js';
import { chatRoutes, createChatHandlers } from './chat-api.js';
import { createCurateHandlers, curateRoutes } from './curate-api.js';
import { createHandOffHandlers, handOffRoutes } from './hand-off-api.js';
import { createOidcSignIn } from './oidc-sign-in.js';
import { buildOpenApiDocument } from './openapi.js';
import { securityHeaders } from './security-headers.js';
import { createSessionHandlers, sessionRoutes } from './session-api.js';

// The web channel: the chat at /, the curator console at /curate, their JSON API under /api and
// the OpenID Connect callbacks under /auth. The pages are static files built by Vite (web/).

export interface WebChannelOptions {
  /** Where the built pages are (default dist/web, written by `npm run build:web`). */
  webRoot?: string;
}

/** Every route of the API, for mounting and for the OpenAPI document. */
export const apiRoutes: readonly ApiRoute[] = [
  ...Object.values(sessionRoutes),
  ...Object.values(chatRoutes),
  ...Object.values(curateRoutes),
  ...Object.values(handOffRoutes),
];

const isWebPath = (path: string) => path === '/' || /^\/(curate|api|auth|assets)(\/|$)/.test(path);

function checkAccess(config: ChannelContext['config']) {
  return (session: WebSession, access: RouteAccess): ApiFailure | undefined => {
    if (access === 'curator' && session.role === 'member')
      return new ApiFailure(
        403,
        'not_a_curator',
        'You are signed in, but not as a curator (NAVIGATOR_CURATORS).',
      );
    if (access === 'curator' && session.role !== 'curator')
      return new ApiFailure(401, 'sign_in_required', 'Sign in as a curator at /curate first.');
    if (access === 'asker' && config.web.chat === 'off')
      return new ApiFailure(403, 'chat_off', 'The web chat is switched off (NAVIGATOR_WEB_CHAT=off).');
    if (access === 'asker' && config.web.chat === 'sign-in' && session.role === 'visitor')
      return new ApiFailure(401, 'sign_in_required', 'Sign in to ask: this chat is for signed-in users.');
    return undefined;
  };
}

function createApiRouter(context: ChannelContext, store: NavigatorStore): Router {
  const router = express.Router();
  const issuer = createSessionIssuer(store.webSessions, context.config.server.production);
  const withSession = loadSession(store.webSessions);
  const host = {
    sessionOf,
    checkAccess: checkAccess(context.config),
    log: context.log,
    before: [withSession, requireCsrfToken()],
  };
  const openApi = buildOpenApiDocument(apiRoutes);
  router.get('/api/openapi.json', (_request, response) => void response.json(openApi));

  const sessions = createSessionHandlers(context, store, issuer);
  router.get(sessionRoutes.session.path, withSession, sessions.session);
  mountRoute(router, sessionRoutes.tokenSignIn, sessions.tokenSignIn, host);
  mountRoute(router, sessionRoutes.signOut, sessions.signOut, host);

  const chat = createChatHandlers({ context, store });
  mountRoute(router, chatRoutes.conversation, chat.conversation, host);
  mountRoute(router, chatRoutes.newConversation, chat.newConversation, host);
  mountRoute(router, chatRoutes.ask, chat.ask, host);
  mountRoute(router, chatRoutes.askStream, chat.askStream, host);
  mountRoute(router, chatRoutes.feedback, chat.feedback, host);
  const curate = createCurateHandlers(context, store);
  mountRoute(router, curateRoutes.submissions, curate.submissions, host);
  mountRoute(router, curateRoutes.submission, curate.submission, host);
  mountRoute(router, curateRoutes.accept, curate.accept, host);
  mountRoute(router, curateRoutes.reject, curate.reject, host);
  mountRoute(router, curateRoutes.feedback, curate.feedback, host);
  mountRoute(router, curateRoutes.gaps, curate.gaps, host);
  mountRoute(router, curateRoutes.coverage, curate.coverage, host);
  mountRoute(router, curateRoutes.entries, curate.entries, host);
  const handOffs = createHandOffHandlers(context, store);
  mountRoute(router, handOffRoutes.askCurator, handOffs.askCurator, host);
  mountRoute(router, handOffRoutes.list, handOffs.list, host);
  mountRoute(router, handOffRoutes.reply, handOffs.reply, host);

  const oidcSettings = context.config.web.oidc;
  if (oidcSettings) {
    const oidc = createOidcSignIn(oidcSettings, context.config.web.curators, store, issuer, context.log);
    router.get('/auth/oidc/start', withSession, oidc.start);
    router.get('/auth/oidc/callback', withSession, oidc.callback);
  }
  // Unknown paths under /api: the web channel is mounted after the others (server.ts), so this
  // only sees what no channel handles.
  router.use('/api', (_request, response) => {
    response.status(404).json(failureBody('not_found', 'No such endpoint; see /api/openapi.json.'));
  });
  // Malformed JSON, a body too large, a wrong type: the body parser's errors become 4xx in our shape.
  router.use('/api', (error: unknown, _request: Request, response: Response, next: NextFunction) => {
    const status = (error as { status?: number }).status;
    if (!status || status < 400 || status >= 500) return next(error);
    response
      .status(status)
      .json(failureBody('invalid_request', `The request could not be read: ${(error as Error).message}`));
  });
  return router;
}

function createPageRouter(context: ChannelContext, webRoot: string): Router {
  const router = express.Router();
  router.use('/assets', express.static(join(webRoot, 'assets'), { immutable: true, maxAge: '30d' }));
  const page = (file: string) => (_request: Request, response: Response) => {
    const path = join(webRoot, file);
    if (!existsSync(path)) {
      response.status(503).type('text/plain').send('The web pages are not built; run `npm run build:web`.\n');
      return;
    }
    response.setHeader('cache-control', 'no-cache');
    response.sendFile(path);
  };
  if (context.config.web.chat !== 'off') router.get('/', page('index.html'));
  else router.get('/', (_request, response) => response.redirect(303, '/curate'));
  router.get('/curate', page('curate.html'));
  return router;
}

/** The web chat and curator console as a channel of the shared server. */
export function createWebChannel(
  context: ChannelContext,
  store: NavigatorStore,
  options: WebChannelOptions = {},
): Channel {
  const webRoot = options.webRoot ?? join(projectRoot(), 'dist', 'web');
  return {
    name: 'web',
    mount(app) {
      const headers = securityHeaders(context.config.server.production);
      app.use((request, response, next) =>
        isWebPath(request.path) ? headers(request, response, next) : next(),
      );
      app.use(createApiRouter(context, store));
      app.use(createPageRouter(context, webRoot));
    },
  };
}
