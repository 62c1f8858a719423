import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import type { Browser, Page } from 'playwright-core';
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
      NAVIGATOR_CURATORS: 'Casey@example.org, someone-else',
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

async function signInAs(page: Page, login: string): Promise<void> {
  await page.goto(`${server.url}/curate`);
  await page.locator('#oidc-sign-in').click();
  await page.waitForURL(`${issuer}/**`);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any password');
  await page.locator('button[type=submit]').click();
  await page.locator('button[type=submit]').filter({ hasText: 'Continue' }).click();
  await page.waitForURL(`${server.url}/curate`);
}

describe.skipIf(!chromiumAvailable())('sign-in with OpenID Connect', () => {
  it('signs a curator in through the identity provider and back to the console', async () => {
    const context = await browser.newContext();
    await stayOnLoopback(context);
    const page = await context.newPage();
    await signInAs(page, 'casey');
    await page.locator('nav .tabs').waitFor();
    expect(await page.locator('#account').innerText()).toContain('Casey Curator');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('lets a signed-in user who is not in NAVIGATOR_CURATORS chat, but not into the console', async () => {
    const context = await browser.newContext();
    await stayOnLoopback(context);
    const page = await context.newPage();
    await signInAs(page, 'robin');
    await page.getByRole('heading', { name: 'Not a curator' }).waitFor();
    const statuses = await page.evaluate(async () => {
      const queue = await fetch('/api/curate/submissions');
      const session = await (await fetch('/api/session')).json();
      return [queue.status, session.role];
    });
    expect(statuses).toEqual([403, 'member']);
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
