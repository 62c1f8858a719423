import type { Request, Response } from 'express';
import * as oidc from 'openid-client';
import type { NavigatorStore } from '../../src/index.js';
import type { ChannelContext } from '../channel.js';
import { sessionOf, type SessionIssuer } from './browser-session.js';

// Sign-in with the organisation's identity provider (OpenID Connect, authorization code + PKCE).
// The state and PKCE verifier live in the browser's session in the store, so the callback may
// reach any replica. Who may sign in is decided at the identity provider (app assignment).

type WebSettings = ChannelContext['config']['web'];
type OidcSettings = NonNullable<WebSettings['oidc']>;

interface PendingSignIn {
  state: string;
  codeVerifier: string;
  returnTo: string;
  startedAt: number;
}

const pendingFor = 10 * 60 * 1000;

const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

/** Curators are those listed in NAVIGATOR_CURATORS (by e-mail or subject), or everyone if unset. */
function roleOf(curators: string[] | undefined, claims: { sub: string; email?: unknown }) {
  if (!curators) return 'curator' as const;
  const names = [claims.sub, typeof claims.email === 'string' ? claims.email : ''].map((name) =>
    name.toLowerCase(),
  );
  return names.some((name) => name && curators.includes(name)) ? ('curator' as const) : ('member' as const);
}

export function createOidcSignIn(
  settings: OidcSettings,
  curators: string[] | undefined,
  store: NavigatorStore,
  issuer: SessionIssuer,
  log: ChannelContext['log'],
) {
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    const issuerUrl = new URL(settings.issuer);
    discovered ??= oidc
      .discovery(
        issuerUrl,
        settings.clientId,
        undefined,
        settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None(),
        // Plain http only for an identity provider on this machine (development and tests).
        isLoopback(issuerUrl) && issuerUrl.protocol === 'http:'
          ? { execute: [oidc.allowInsecureRequests] }
          : {},
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  };

  const refuse = (response: Response, status: number, message: string) =>
    response.status(status).type('text/plain').send(`${message}\n`);

  return {
    start: async (request: Request, response: Response) => {
      try {
        const config = await configuration();
        const session = await issuer.ensure(request, response);
        const codeVerifier = oidc.randomPKCECodeVerifier();
        const pending: PendingSignIn = {
          state: oidc.randomState(),
          codeVerifier,
          // Only two places to return to: never a URL taken from the request.
          returnTo: request.query.return === 'chat' ? '/' : '/curate',
          startedAt: Date.now(),
        };
        await store.webSessions.setPending(session.sessionId, { ...pending });
        const url = oidc.buildAuthorizationUrl(config, {
          redirect_uri: settings.redirectUri,
          scope: 'openid email profile',
          code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
          code_challenge_method: 'S256',
          state: pending.state,
        });
        response.redirect(303, url.href);
      } catch (error) {
        log(
          'error',
          `web: the identity provider at OIDC_ISSUER (${settings.issuer}) cannot be reached`,
          error,
        );
        refuse(
          response,
          502,
          'The sign-in service cannot be reached; try again later or ask an administrator.',
        );
      }
    },

    callback: async (request: Request, response: Response) => {
      const session = sessionOf(request);
      const pending = session?.pending as PendingSignIn | null | undefined;
      if (!session || !pending?.state || Date.now() - pending.startedAt > pendingFor)
        return refuse(
          response,
          400,
          'This sign-in has expired or was not started here; start again from /curate.',
        );
      try {
        const config = await configuration();
        const callbackUrl = new URL(settings.redirectUri);
        callbackUrl.search = new URL(request.originalUrl, 'http://placeholder').search;
        const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
        });
        const claims = tokens.claims();
        if (!claims) throw new Error('the identity provider returned no ID token');
        const name = [claims.name, claims.email, claims.preferred_username].find(
          (value): value is string => typeof value === 'string' && value.length > 0,
        );
        await issuer.issue(request, response, {
          role: roleOf(curators, claims),
          userId: `oidc:${claims.sub}`,
          userName: name ?? claims.sub,
          signInMethod: 'oidc',
        });
        response.redirect(303, pending.returnTo);
      } catch (error) {
        log('warn', 'web: an OpenID Connect sign-in was refused', error);
        await store.webSessions.setPending(session.sessionId, null);
        refuse(response, 400, 'The sign-in could not be completed; start again from /curate.');
      }
    },
  };
}
