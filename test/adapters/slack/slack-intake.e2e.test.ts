import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Navigator } from '../../../src/index.js';
import { startFakeSlackApi, type FakeSlackApi } from './support/fake-slack-api.js';
import { signatureHeaders, slashCommandBody } from './support/slack-requests.js';
import {
  preparedDataDir,
  realNavigator,
  startSlackTestServer,
  type SlackTestServer,
} from './support/slack-test-server.js';

// Signed requests whose payload Bolt cannot use: each gets its 4xx at once, and nothing is queued.

let fake: FakeSlackApi;
let slack: SlackTestServer;

beforeAll(async () => {
  const dataDir = preparedDataDir();
  const navigator: Navigator = await realNavigator(dataDir);
  fake = await startFakeSlackApi();
  slack = await startSlackTestServer(navigator, fake, dataDir);
});

afterAll(async () => {
  await slack?.close();
  await fake?.close();
});

const form = 'application/x-www-form-urlencoded';

describe('Slack intake', () => {
  it('refuses a slash command whose text is an array, or that has no response_url, with a 400', async () => {
    const arrayText = `${slashCommandBody('benefits', fake.responseUrl('a'))}&text=again`;
    const noResponseUrl = new URLSearchParams(slashCommandBody('benefits', 'x'));
    noResponseUrl.delete('response_url');
    for (const body of [arrayText, noResponseUrl.toString()]) {
      const result = await slack.send(body, form);
      expect(result.status).toBe(400);
      expect(result.elapsedMillis).toBeLessThan(3_000);
    }
    expect(fake.responseUrlPosts).toEqual([]);
  });

  it('answers 400 at once to malformed payloads instead of a 500 or a 404 after 3 s', async () => {
    const bodies: [string, 'application/json' | typeof form][] = [
      ['{"type":"event_callback"}', 'application/json'],
      ['{"type":"event_callback","event":"nope"}', 'application/json'],
      ['{"type":"something_else"}', 'application/json'],
      ['not json at all', 'application/json'],
      ['payload=%7Bbroken', form],
      ['[]', 'application/json'],
    ];
    for (const [body, contentType] of bodies) {
      const result = await slack.send(body, contentType);
      expect(result.status, body).toBe(400);
    }
    expect(await slack.store.jobs.counts()).toMatchObject({ queued: 0, running: 0 });
  });

  it('refuses a timestamp more than five minutes in the future (Slack allows ±5 minutes)', async () => {
    const body = '{"type":"url_verification","challenge":"c"}';
    const future = Math.floor(Date.now() / 1000) + 6 * 60;
    const result = await slack.send(body, 'application/json', signatureHeaders(body, undefined, future));
    expect(result.status).toBe(401);
    const now = await slack.send(body, 'application/json');
    expect(now.status).toBe(200);
  });

  it('answers 413 to a body over the limit', async () => {
    const body = JSON.stringify({
      type: 'event_callback',
      event: { type: 'message', text: 'x'.repeat(5e6) },
    });
    expect((await slack.send(body)).status).toBe(413);
  });
});
