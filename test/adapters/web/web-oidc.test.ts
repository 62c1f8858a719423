import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, seriousViolations, stayOnLoopback } from './support/browser.js';
import { freePort, startWebTestServer, WebClient, type WebTestServer } from './support/web-test-server.js';

// Sign-in to the console with OpenID Connect against a loopback identity provider (oidc-provider
// with its development login pages), in Chromium, all on 127.0.0.1.

let provider: Server;
let server: WebTestServer;
let browser: Browser;
let issuer: string;

beforeAll(async () => {
  if (!chromiumAvailable()) return;
  const appPort = await freePort();
  const providerPort = await freePort();
  issuer = `http://127.0.0.1:${providerPort}`;
  const redirectUri = `http://127.0.0.1:${appPort}/auth/oidc/callback`;
  const oidc = new Provider(issuer, {
    clients: [
      {
        client_id: 'navigator',
        client_secret: 'navigator-test-secret',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
    conformIdTokenClaims: false,
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    findAccount: (_context, sub) => ({
      accountId: sub,
      claims: () => ({ sub, email: `${sub}@example.org`, name: 'Casey Curator' }),
    }),
  });
  provider = oidc.listen(providerPort);
  server = await startWebTestServer(
    {
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: 'navigator',
      OIDC_CLIENT_SECRET: 'navigator-test-secret',
      OIDC_REDIRECT_URI: redirectUri,
    },
    { port: appPort },
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  provider?.closeAllConnections();
  await new Promise((resolve) => provider?.close(resolve));
});

describe.skipIf(!chromiumAvailable())('sign-in with OpenID Connect', () => {
  it('signs a curator in through the identity provider and back to the console', async () => {
    const context = await browser.newContext();
    await stayOnLoopback(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/curate`);
    await page.locator('#oidc-sign-in').click();
    await page.waitForURL(`${issuer}/**`);
    await page.locator('input[name=login]').fill('casey');
    await page.locator('input[name=password]').fill('any password');
    await page.locator('button[type=submit]').click();
    await page.locator('button[type=submit]').filter({ hasText: 'Continue' }).click();
    await page.waitForURL(`${server.url}/curate`);
    await page.locator('nav .tabs').waitFor();
    expect(await page.locator('#account').innerText()).toContain('Casey Curator');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('refuses a callback that was not started in this browser', async () => {
    const client = new WebClient(server.url);
    await client.open();
    const forged = await client.get('/auth/oidc/callback?code=stolen&state=guessed');
    expect(forged.status).toBe(400);
    expect((await client.get('/api/curate/submissions')).status).toBe(401);
  });
});
