import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { isNavigatorError } from '../src/errors.js';
import { projectRoot } from '../src/paths.js';
import { defaultMaxHeapMb } from '../src/server-config.js';

describe('loadConfig', () => {
  it('defaults to the project knowledge and data directories and the offline embedder', () => {
    const config = loadConfig({});
    expect(config.knowledgeDir).toBe(join(projectRoot(), 'knowledge'));
    expect(config.dataDir).toBe(join(projectRoot(), '.navigator'));
    expect(config.embedder).toBe('glove');
    expect(config.searchEf).toBeGreaterThanOrEqual(50);
  });

  it('honours KNOWLEDGE_DIR and NAVIGATOR_DATA_DIR', () => {
    const config = loadConfig({ KNOWLEDGE_DIR: '/srv/kb', NAVIGATOR_DATA_DIR: '/var/lib/navigator' });
    expect(config.knowledgeDir).toBe('/srv/kb');
    expect(config.dataDir).toBe('/var/lib/navigator');
  });

  it('reports every invalid variable at once, naming each', () => {
    let error: unknown;
    try {
      loadConfig({
        NAVIGATOR_EMBEDDER: 'bert',
        OPENAI_BASE_URL: 'not a url',
        SEARCH_EF: 'deep',
        OPENAI_API_KEY: 'sk-secret-value',
      });
    } catch (caught) {
      error = caught;
    }
    expect(isNavigatorError(error, 'config_invalid')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('NAVIGATOR_EMBEDDER: must be "glove"');
    expect(message).toContain('OPENAI_BASE_URL: must be a URL');
    expect(message).toContain('SEARCH_EF: must be a whole number');
    expect(message).not.toContain('sk-secret-value');
  });

  it('asks for a key or base URL when the OpenAI embedder is chosen without one', () => {
    expect(() => loadConfig({ NAVIGATOR_EMBEDDER: 'openai' })).toThrow(/OPENAI_API_KEY/);
  });
});

describe('loadConfig for the channels', () => {
  it('enables Slack only with both the signing secret and the bot token, and names what is missing', () => {
    expect(loadConfig({}).slack).toBeUndefined();
    expect(loadConfig({ SLACK_SIGNING_SECRET: 'secret', SLACK_BOT_TOKEN: 'xoxb-1' }).slack).toMatchObject({
      signingSecret: 'secret',
      botToken: 'xoxb-1',
    });
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: '' })).toThrow(
      /SLACK_SIGNING_SECRET: is empty but SLACK_BOT_TOKEN is set/,
    );
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 'secret' })).toThrow(/SLACK_BOT_TOKEN: is missing/);
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 'secret', SLACK_BOT_TOKEN: 'xoxp-user' })).toThrow(
      /SLACK_BOT_TOKEN: must be a bot token starting with xoxb-/,
    );
  });

  it('reads NAVIGATOR_SLACK_THREAD_FOLLOW_UPS as off unless "true", and names a bad value', () => {
    const slack = { SLACK_SIGNING_SECRET: 'secret', SLACK_BOT_TOKEN: 'xoxb-1' };
    expect(loadConfig(slack).slack?.threadFollowUps).toBe(false);
    expect(loadConfig({ ...slack, NAVIGATOR_SLACK_THREAD_FOLLOW_UPS: 'true' }).slack?.threadFollowUps).toBe(
      true,
    );
    expect(() => loadConfig({ ...slack, NAVIGATOR_SLACK_THREAD_FOLLOW_UPS: 'yes' })).toThrow(
      /NAVIGATOR_SLACK_THREAD_FOLLOW_UPS: must be "true" or "false"/,
    );
  });

  it('checks the Microsoft app settings together', () => {
    expect(loadConfig({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'pw' }).teams).toMatchObject({
      appId: 'id',
      appType: 'MultiTenant',
    });
    expect(() => loadConfig({ MICROSOFT_APP_PASSWORD: 'pw' })).toThrow(/MICROSOFT_APP_ID: is missing/);
    expect(() => loadConfig({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_TYPE: 'SingleTenant' })).toThrow(
      /MICROSOFT_APP_TENANT_ID: is required/,
    );
    expect(loadConfig({ PORT: '8080', NODE_ENV: 'production' }).server).toEqual({
      port: 8080,
      production: true,
      maxInFlight: 1024,
      trustProxy: false,
      maxHeapMb: 512,
    });
  });
});

describe('loadConfig for the state store', () => {
  it('defaults to the embedded store, a 90-day question log and a generated salt', () => {
    expect(loadConfig({}).store).toEqual({
      databaseUrl: undefined,
      questionLogDays: 90,
      hashSalt: undefined,
      jobLeaseMs: 60_000,
      digestCheckMs: 600_000,
    });
  });

  it('accepts PostgreSQL URLs, including a socket directory, and the other store settings', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://navigator:secret@db.internal:5432/navigator?sslmode=require',
      NAVIGATOR_QUESTION_LOG_DAYS: '30',
      NAVIGATOR_HASH_SALT: 'a-long-enough-salt-value',
      NAVIGATOR_JOB_LEASE_MS: '5000',
      NAVIGATOR_DIGEST_CHECK_MS: '60000',
    });
    expect(config.store).toEqual({
      databaseUrl: 'postgresql://navigator:secret@db.internal:5432/navigator?sslmode=require',
      questionLogDays: 30,
      hashSalt: 'a-long-enough-salt-value',
      jobLeaseMs: 5_000,
      digestCheckMs: 60_000,
    });
    expect(
      loadConfig({ DATABASE_URL: 'postgres:///navigator?host=/var/run/postgresql' }).store.databaseUrl,
    ).toBe('postgres:///navigator?host=/var/run/postgresql');
    expect(loadConfig({ DATABASE_URL: '', NAVIGATOR_QUESTION_LOG_DAYS: '' }).store).toMatchObject({
      databaseUrl: undefined,
      questionLogDays: 90,
    });
  });

  it('reports every bad store variable at once, naming each and never echoing the URL', () => {
    let error: unknown;
    try {
      loadConfig({
        DATABASE_URL: 'mysql://root:hunter2@db/navigator',
        NAVIGATOR_QUESTION_LOG_DAYS: '0',
        NAVIGATOR_HASH_SALT: 'short',
        NAVIGATOR_JOB_LEASE_MS: '10',
        NAVIGATOR_DIGEST_CHECK_MS: 'hourly',
        SEARCH_EF: 'deep',
      });
    } catch (caught) {
      error = caught;
    }
    expect(isNavigatorError(error, 'config_invalid')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('6 invalid variable(s)');
    expect(message).toContain('NAVIGATOR_JOB_LEASE_MS: must be at least 1000 ms');
    expect(message).toContain('NAVIGATOR_DIGEST_CHECK_MS: must be a number of milliseconds such as 600000');
    expect(message).toContain('DATABASE_URL: must be a PostgreSQL URL such as postgres://');
    expect(message).toContain('NAVIGATOR_QUESTION_LOG_DAYS: must be at least 1 day');
    expect(message).toContain('NAVIGATOR_HASH_SALT: must be at least 16 characters');
    expect(message).toContain('SEARCH_EF: must be a whole number');
    expect(message).not.toContain('hunter2');
  });

  it('refuses URLs that are not PostgreSQL ones or name no host', () => {
    for (const value of ['http://db/navigator', 'postgres:/navigator', 'postgres://', 'not a url'])
      expect(() => loadConfig({ DATABASE_URL: value }), value).toThrow(
        /DATABASE_URL: must be a PostgreSQL URL/,
      );
    for (const value of ['2.5', 'ninety', '-3'])
      expect(() => loadConfig({ NAVIGATOR_QUESTION_LOG_DAYS: value }), value).toThrow(
        /NAVIGATOR_QUESTION_LOG_DAYS/,
      );
  });
});

describe('loadConfig for the web chat and the curator console', () => {
  it('defaults to an open chat without sign-in methods', () => {
    expect(loadConfig({}).web).toEqual({ chat: 'open', asksPerMinute: { user: 10, ip: 30 } });
  });

  it('reads the chat access, token, contact, limits and OpenID Connect settings', () => {
    const web = loadConfig({
      NAVIGATOR_WEB_CHAT: 'sign-in',
      NAVIGATOR_CURATOR_TOKEN: 'a-curator-token-of-24-chars',
      NAVIGATOR_CURATOR_CONTACT: 'mailto:curators@example.org',
      NAVIGATOR_WEB_ASKS_PER_MINUTE: '5',
      OIDC_ISSUER: 'https://login.example.org',
      OIDC_CLIENT_ID: 'navigator',
      OIDC_REDIRECT_URI: 'https://navigator.example.org/auth/oidc/callback',
    }).web;
    expect(web).toMatchObject({
      chat: 'sign-in',
      curatorContact: 'mailto:curators@example.org',
      asksPerMinute: { user: 5, ip: 30 },
      oidc: { issuer: 'https://login.example.org', clientId: 'navigator' },
    });
  });

  it('names each bad web variable', () => {
    const message = (() => {
      try {
        loadConfig({
          NAVIGATOR_WEB_CHAT: 'closed',
          NAVIGATOR_CURATOR_TOKEN: 'short',
          NAVIGATOR_CURATOR_CONTACT: 'curators',
          NAVIGATOR_WEB_ASKS_PER_MINUTE: 'many',
        });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toContain('4 invalid variable(s)');
    expect(message).toContain('NAVIGATOR_WEB_CHAT: must be "open"');
    expect(message).toContain('NAVIGATOR_CURATOR_TOKEN: must be at least 24 characters');
    expect(message).toContain('NAVIGATOR_CURATOR_CONTACT: must be a mailto: address or an http(s) link');
    expect(message).toContain('NAVIGATOR_WEB_ASKS_PER_MINUTE: must be a whole number');
  });

  it('reads the ask limits for Slack and Teams, generous by default, and names a bad one', () => {
    expect(loadConfig({}).askLimits).toEqual({ userPerMinute: 20, userPerDay: 200, channelPerMinute: 60 });
    expect(
      loadConfig({ NAVIGATOR_USER_ASKS_PER_DAY: '3', NAVIGATOR_CHANNEL_ASKS_PER_MINUTE: '7' }).askLimits,
    ).toEqual({ userPerMinute: 20, userPerDay: 3, channelPerMinute: 7 });
    expect(() =>
      loadConfig({ NAVIGATOR_USER_ASKS_PER_MINUTE: '0', NAVIGATOR_USER_ASKS_PER_DAY: 'lots' }),
    ).toThrow(/NAVIGATOR_USER_ASKS_PER_MINUTE[\s\S]*NAVIGATOR_USER_ASKS_PER_DAY: must be a whole number/);
  });

  it('asks for the rest of OpenID Connect when only part is set', () => {
    expect(() => loadConfig({ OIDC_ISSUER: 'https://login.example.org' })).toThrow(
      /OIDC_CLIENT_ID: is missing[\s\S]*OIDC_REDIRECT_URI: is missing/,
    );
  });
});

describe('loadConfig for the curator channels (Ask a curator)', () => {
  it('has no curator channel by default and a 15-minute 👎 notice period', () => {
    expect(loadConfig({}).curators).toEqual({ feedbackNoticeEveryMs: 15 * 60_000 });
  });

  it('reads the Slack channel id, the Teams conversation id and the notice period', () => {
    expect(
      loadConfig({
        NAVIGATOR_CURATOR_CHANNEL_SLACK: 'C0123CURATORS',
        NAVIGATOR_CURATOR_CHANNEL_TEAMS: '19:abc123@thread.tacv2',
        NAVIGATOR_CURATOR_FEEDBACK_MINUTES: '30',
      }).curators,
    ).toEqual({
      slackChannel: 'C0123CURATORS',
      teamsChannel: '19:abc123@thread.tacv2',
      feedbackNoticeEveryMs: 30 * 60_000,
    });
  });

  it('names each bad curator variable', () => {
    const message = (() => {
      try {
        loadConfig({
          NAVIGATOR_CURATOR_CHANNEL_SLACK: '#curators',
          NAVIGATOR_CURATOR_CHANNEL_TEAMS: '19:abc@thread.tacv2;messageid=1',
          NAVIGATOR_CURATOR_FEEDBACK_MINUTES: '0',
        });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toContain('3 invalid variable(s)');
    expect(message).toContain('NAVIGATOR_CURATOR_CHANNEL_SLACK: must be a Slack channel id');
    expect(message).toContain('NAVIGATOR_CURATOR_CHANNEL_TEAMS: must be the Teams channel conversation id');
    expect(message).toContain('NAVIGATOR_CURATOR_FEEDBACK_MINUTES: must be more than 0 minutes');
  });

  it('takes requests in progress per replica from NAVIGATOR_MAX_IN_FLIGHT, and names it when wrong', () => {
    expect(loadConfig({}).server.maxInFlight).toBe(1024);
    expect(loadConfig({ NAVIGATOR_MAX_IN_FLIGHT: '64' }).server.maxInFlight).toBe(64);
    expect(() => loadConfig({ NAVIGATOR_MAX_IN_FLIGHT: 'lots' })).toThrow(
      /NAVIGATOR_MAX_IN_FLIGHT: must be a whole number of requests/,
    );
    expect(() => loadConfig({ NAVIGATOR_MAX_IN_FLIGHT: '2' })).toThrow(/at least 8/);
  });

  it('gives npm start the heap limit of NAVIGATOR_MAX_HEAP_MB (default 512); names it when wrong', () => {
    const start = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')).scripts.start;
    expect(start).toContain(`--max-old-space-size=\${NAVIGATOR_MAX_HEAP_MB:-${defaultMaxHeapMb}}`);
    expect(loadConfig({}).server.maxHeapMb).toBe(defaultMaxHeapMb);
    expect(loadConfig({ NAVIGATOR_MAX_HEAP_MB: '1024' }).server.maxHeapMb).toBe(1024);
    expect(() => loadConfig({ NAVIGATOR_MAX_HEAP_MB: '1g' })).toThrow(
      /NAVIGATOR_MAX_HEAP_MB: must be a whole number of megabytes/,
    );
    expect(() => loadConfig({ NAVIGATOR_MAX_HEAP_MB: '64' })).toThrow(/at least 128/);
  });

  it('reads NAVIGATOR_TRUST_PROXY as Express does, and names it when wrong', () => {
    const trust = (value: string) => loadConfig({ NAVIGATOR_TRUST_PROXY: value }).server.trustProxy;
    expect(loadConfig({}).server.trustProxy).toBe(false);
    expect(trust('true')).toBe(true);
    expect(trust('1')).toBe(1);
    expect(trust('loopback, 10.0.0.0/8, 2001:db8::/32')).toEqual(['loopback', '10.0.0.0/8', '2001:db8::/32']);
    for (const wrong of ['yes', '10.0.0.0/33', 'proxy.example.org'])
      expect(() => trust(wrong)).toThrow(/NAVIGATOR_TRUST_PROXY: must be "false", "true", a number/);
  });
});
