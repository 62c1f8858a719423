import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDigestCommand } from '../../../adapters/digest-commands.js';
import { DigestSchedule } from '../../../adapters/digest-schedule.js';
import { hashEntryFiles } from '../../../src/knowledge/entry-hashes.js';
import type { Navigator } from '../../../src/index.js';
import { temporaryDataDir } from '../../support/knowledge-copy.js';
import { blockKitProblems } from './support/block-kit-validator.js';
import { startFakeSlackApi, type FakeSlackApi } from './support/fake-slack-api.js';
import { slashCommandBody } from './support/slack-requests.js';
import { navigatorConfig, startSlackTestServer, type SlackTestServer } from './support/slack-test-server.js';

// `/navigator subscribe|unsubscribe`, signed, into the real Bolt receiver; the digest that falls
// due is posted by the server's own job worker to the loopback fake of Slack's Web API.

const notAsked: Navigator = {
  usesLanguageModel: false,
  ask: () => Promise.reject(new Error('a digest command does not ask the Navigator')),
};
const form = 'application/x-www-form-urlencoded';

describe('knowledge digests in Slack', () => {
  let fake: FakeSlackApi;
  let slack: SlackTestServer;

  beforeEach(async () => {
    fake = await startFakeSlackApi();
    slack = await startSlackTestServer(notAsked, fake, temporaryDataDir());
  });
  afterEach(async () => {
    await slack.close();
    await fake.close();
  });

  const command = async (text: string) => {
    const response = await slack.send(slashCommandBody(text, fake.responseUrl('digest'), 'C0DIGEST'), form);
    expect(response.status).toBe(200);
    return response.json() as { response_type: string; text: string };
  };

  it('subscribes a channel with /navigator, posts its first digest there, and unsubscribes it', async () => {
    const reply = await command('subscribe monthly');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toMatch(/^Subscribed: this conversation gets a monthly digest /);
    expect(reply.text).toMatch(
      /The first one comes on \d{4}-\d\d-\d\d\. `\/navigator unsubscribe` stops it\./,
    );
    const knowledgeDir = navigatorConfig(slack.dataDir).knowledgeDir;
    expect(await slack.store.digestSubscriptions.get('slack:C0DIGEST')).toMatchObject({
      period: 'monthly',
      entryHashes: await hashEntryFiles(knowledgeDir),
    });

    // A month later: any replica's schedule stores the digest; this server's worker posts it.
    await slack.store.sql.execute(
      "UPDATE digest_subscriptions SET next_due_at = now() - interval '1 minute'",
    );
    const schedule = new DigestSchedule(slack.store.digestSubscriptions, slack.store.jobs, () => {}, {
      everyMs: 60_000,
    });
    expect(await schedule.runOnce()).toBe(1);
    const posted = await fake.waitFor('the digest', () =>
      fake.delivered('chat.postMessage').find((call) => call.args.channel === 'C0DIGEST'),
    );
    expect(posted.args.text).toMatch(
      /^The PSI Navigator library holds \d+ entries \(\d+ cases, \d+ toolkits, /,
    );
    expect(posted.args.text).toMatch(/\)\. Nothing was added or changed since you subscribed\.$/);
    expect(blockKitProblems({ text: posted.args.text, blocks: posted.args.blocks })).toEqual([]);
    expect(posted.args.unfurl_links).toBe('false');

    expect((await command('unsubscribe')).text).toBe(
      'Unsubscribed: this conversation gets no more knowledge digests.',
    );
    expect(await slack.store.digestSubscriptions.get('slack:C0DIGEST')).toBeUndefined();
    expect((await command('unsubscribe')).text).toBe('This conversation has no digest subscription.');
  });
});

describe('the digest commands', () => {
  it('reads only the digest commands; anything else is a question', () => {
    expect(readDigestCommand('Subscribe  Weekly')).toEqual({ action: 'subscribe', period: 'weekly' });
    expect(readDigestCommand('subscribe')).toEqual({ action: 'subscribe', period: 'weekly' });
    expect(readDigestCommand('subscribe monthly')).toEqual({ action: 'subscribe', period: 'monthly' });
    expect(readDigestCommand('unsubscribe')).toEqual({ action: 'unsubscribe' });
    expect(readDigestCommand('subscribe daily')).toBeUndefined();
    expect(readDigestCommand('who has subscribed residents to budget news?')).toBeUndefined();
  });
});
