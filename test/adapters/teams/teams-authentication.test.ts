import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelContext } from '../../../adapters/channel.js';
import { createTeamsChannel } from '../../../adapters/teams/teams-channel.js';
import { emptyAnswer } from '../../../src/assistant/answer.js';
import {
  isNavigatorError,
  loadConfig,
  type Config,
  type Navigator,
  type Question,
} from '../../../src/index.js';
import { temporaryDataDir } from '../../support/knowledge-copy.js';
import { startTokenIssuer, type TokenIssuer } from './support/bot-framework-token-issuer.js';
import { startFakeBotConnector, type FakeBotConnector } from './support/fake-bot-connector.js';
import { channelThread, feedbackInvoke, message, personalChat } from './support/teams-activities.js';
import { startTeamsServer, type TeamsTestServer } from './support/teams-test-server.js';

// With MICROSOFT_APP_ID set, /api/messages accepts only Bot Framework tokens: signed by a key in the
// OpenID metadata's JWKS (here a loopback issuer with a local RSA key), issued by api.botframework.com,
// for this app id, naming the activity's serviceUrl. Anything else is a 401 and no answer.

const appId = '11111111-2222-4333-8444-555555555555';
let issuer: TokenIssuer;
let connector: FakeBotConnector;
let server: TeamsTestServer;
let config: Config;
const asked: Question[] = [];
const navigator: Navigator = {
  usesLanguageModel: false,
  ask: async (question) => {
    asked.push(question);
    return emptyAnswer('answered', 'question', 'An answer.');
  },
};

beforeAll(async () => {
  issuer = await startTokenIssuer();
  connector = await startFakeBotConnector();
  config = loadConfig({
    NAVIGATOR_DATA_DIR: temporaryDataDir(),
    MICROSOFT_APP_ID: appId,
    MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
    BOTFRAMEWORK_OPENID_METADATA_URL: issuer.metadataUrl,
  });
  server = await startTeamsServer(config, navigator);
});

afterAll(async () => {
  await server?.close();
  await connector?.close();
  await issuer?.close();
});

describe('Teams with an app id', () => {
  const activity = () => message(personalChat(connector.serviceUrl), 'Who has made benefits proactive?');

  it.each([
    ['no token', () => undefined],
    [
      'a token signed with a key the metadata does not publish',
      () => issuer.signWithForeignKey({ appId, serviceUrl: connector.serviceUrl }),
    ],
    [
      'a token for another bot',
      () => issuer.sign({ appId: '99999999-2222-4333-8444-555555555555', serviceUrl: connector.serviceUrl }),
    ],
    [
      'a token for another serviceUrl',
      () => issuer.sign({ appId, serviceUrl: 'https://smba.trafficmanager.net/emea/' }),
    ],
    [
      'a token from another issuer',
      () => issuer.sign({ appId, serviceUrl: connector.serviceUrl, issuer: 'https://sts.example.org/' }),
    ],
    [
      'an expired token',
      () => issuer.sign({ appId, serviceUrl: connector.serviceUrl, expiresInSeconds: -600 }),
    ],
  ])('rejects a request with %s: 401 and no answer', async (_case, token) => {
    const before = { asked: asked.length, calls: connector.calls.length };
    const response = await server.post(activity(), token());
    expect(response.status).toBe(401);
    expect(asked.length).toBe(before.asked);
    expect(connector.calls.length).toBe(before.calls);
    expect(server.logs.at(-1)).toMatchObject({
      level: 'warn',
      message: expect.stringMatching(/^Teams: rejected an unauthenticated request/),
    });
  });

  it('accepts a valid token: a channel message without a mention is read (and left alone)', async () => {
    const where = channelThread(connector.serviceUrl);
    const response = await server.post(
      message(where, 'just chatting'),
      issuer.sign({ appId, serviceUrl: connector.serviceUrl }),
    );
    expect(response.status).toBe(200);
  });

  it("accepts a valid token: Teams' feedback invoke is recorded", async () => {
    const where = personalChat(connector.serviceUrl, 'a:1authenticated');
    const response = await server.post(
      feedbackInvoke(where, 'bot-message-unknown', 'like', 'Clear and sourced.'),
      issuer.sign({ appId, serviceUrl: connector.serviceUrl }),
    );
    expect(response.status).toBe(200);
    const [last] = await server.store.feedback.since(new Date(0));
    expect(last).toMatchObject({
      channel: 'teams',
      conversationId: 'teams:a:1authenticated',
      rating: 'helpful',
      comment: 'Clear and sourced.',
    });
  });
});

describe('when Teams is served at all', () => {
  const log = () => {};
  const create = (environment: Record<string, string>) =>
    // Only the configuration is read when the channel is created; the store is not touched.
    createTeamsChannel({
      config: loadConfig({ NAVIGATOR_DATA_DIR: temporaryDataDir(), ...environment }),
      navigator,
      log,
    } as unknown as ChannelContext);

  it('refuses to start in production without an app id, naming the variable', () => {
    let error: unknown;
    try {
      create({ NODE_ENV: 'production' });
    } catch (caught) {
      error = caught;
    }
    expect(isNavigatorError(error, 'config_invalid')).toBe(true);
    expect((error as Error).message).toMatch(/^MICROSOFT_APP_ID: is not set but NODE_ENV=production/);
    expect(() =>
      create({
        NODE_ENV: 'production',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_BOT_TOKEN: 'xoxb-1',
        MICROSOFT_APP_TYPE: 'SingleTenant',
      }),
    ).toThrow(/MICROSOFT_APP_ID/);
  });

  it('stays off in a Slack-only production deployment that sets no Teams variable', () => {
    expect(
      create({ NODE_ENV: 'production', SLACK_SIGNING_SECRET: 'secret', SLACK_BOT_TOKEN: 'xoxb-1' }),
    ).toBeUndefined();
  });

  it('refuses an app id without its client secret', () => {
    expect(() => create({ MICROSOFT_APP_ID: appId })).toThrow(/^MICROSOFT_APP_PASSWORD: is missing/);
  });
});
