import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyAnswer } from '../../../src/assistant/answer.js';
import { loadConfig, type Navigator } from '../../../src/index.js';
import { temporaryDataDir } from '../../support/knowledge-copy.js';
import { startTokenIssuer, type TokenIssuer } from './support/bot-framework-token-issuer.js';
import { startFakeBotConnector, type FakeBotConnector } from './support/fake-bot-connector.js';
import { startLoopbackEntraId, type LoopbackEntraId } from './support/loopback-entra-id.js';
import { channelThread, message, personalChat } from './support/teams-activities.js';
import { startTeamsServer, type TeamsTestServer } from './support/teams-test-server.js';

// What a production bot does on every answer: botbuilder's real MSAL client asks Entra ID (a
// loopback stand-in for login.microsoftonline.com) for a token with the bot's app id and secret,
// and the reply to the Bot Connector carries it. Channel questions are answered from their job in
// a proactive turn, so this is also the path a restarted or other replica takes.

const appId = '11111111-2222-4333-8444-555555555555';
const appSecret = 'not-a-real-secret';
const navigator: Navigator = {
  usesLanguageModel: false,
  ask: async () => emptyAnswer('answered', 'question', 'An answer from the knowledge base.'),
};

let entra: LoopbackEntraId;
let issuer: TokenIssuer;
let connector: FakeBotConnector;

beforeAll(async () => {
  entra = await startLoopbackEntraId();
  issuer = await startTokenIssuer();
  connector = await startFakeBotConnector();
});

afterAll(async () => {
  await connector?.close();
  await issuer?.close();
  await entra?.close();
});

async function serverFor(environment: Record<string, string>, bot = appId): Promise<TeamsTestServer> {
  return startTeamsServer(
    loadConfig({
      NAVIGATOR_DATA_DIR: temporaryDataDir(),
      MICROSOFT_APP_ID: bot,
      MICROSOFT_APP_PASSWORD: appSecret,
      BOTFRAMEWORK_OPENID_METADATA_URL: issuer.metadataUrl,
      ...environment,
    }),
    navigator,
  );
}

describe('replies of a bot with an app id', () => {
  it('answers a channel question from its job with the token Entra ID gave the bot', async () => {
    const server = await serverFor({});
    try {
      const asked = message(
        channelThread(connector.serviceUrl, '1700000000901'),
        'Who has made benefits proactive?',
        {
          mention: true,
        },
      );
      const response = await server.post(asked, issuer.sign({ appId, serviceUrl: connector.serviceUrl }));
      expect(response.status).toBe(200);
      const [reply] = await connector
        .waitFor((calls) =>
          calls.some((call) => call.replyToId === asked.id && call.activity.type === 'message'),
        )
        .then((calls) =>
          calls.filter((call) => call.replyToId === asked.id && call.activity.type === 'message'),
        );
      expect(reply!.status).toBeLessThan(300);
      expect(JSON.stringify(reply!.activity)).toContain('An answer from the knowledge base.');
      // The multi-tenant authority and the Bot Framework scope, with the bot's own credentials.
      expect(entra.tokenRequests[0]).toEqual({
        tenant: 'botframework.com',
        clientId: appId,
        clientSecret: appSecret,
        grantType: 'client_credentials',
        scope: 'https://api.botframework.com/.default',
      });
      expect(entra.issued).toContain(reply!.authorization!.replace(/^Bearer /, ''));
    } finally {
      await server.close();
    }
  });

  it("a single-tenant bot gets its token from its own tenant, also for a personal chat's reply", async () => {
    // Another app id: botbuilder caches tokens per app id and scope for the whole process.
    const singleTenantApp = '22222222-3333-4444-8555-666666666666';
    const tenant = '99999999-8888-4777-8666-555555555555';
    const server = await serverFor(
      { MICROSOFT_APP_TYPE: 'SingleTenant', MICROSOFT_APP_TENANT_ID: tenant },
      singleTenantApp,
    );
    try {
      const before = entra.tokenRequests.length;
      const asked = message(
        personalChat(connector.serviceUrl, 'a:1single-tenant'),
        'Who has made benefits proactive?',
      );
      const token = issuer.sign({ appId: singleTenantApp, serviceUrl: connector.serviceUrl });
      expect((await server.post(asked, token)).status).toBe(200);
      const calls = await connector.waitFor((delivered) =>
        delivered.some((call) => call.replyToId === asked.id && call.activity.type === 'message'),
      );
      const reply = calls.find((call) => call.replyToId === asked.id && call.activity.type === 'message')!;
      expect(entra.tokenRequests.slice(before)).toContainEqual(
        expect.objectContaining({ tenant, clientId: singleTenantApp, grantType: 'client_credentials' }),
      );
      expect(entra.issued).toContain(reply.authorization!.replace(/^Bearer /, ''));
    } finally {
      await server.close();
    }
  });
});
