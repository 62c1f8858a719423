import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webApi } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelContext } from '../../adapters/channel.js';
import { readDigestCommand, runDigestCommand } from '../../adapters/digest-commands.js';
import { DigestSchedule } from '../../adapters/digest-schedule.js';
import { DurableJobs } from '../../adapters/durable-jobs.js';
import { registerSlackDigestJobs } from '../../adapters/slack/slack-digests.js';
import { loadConfig, openNavigatorStore, type Navigator, type SqlNavigatorStore } from '../../src/index.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../store/support/test-databases.js';
import { copyFixtureKnowledge, writeEntry } from '../support/knowledge-copy.js';
import { startFakeSlackApi, type FakeSlackApi } from './slack/support/fake-slack-api.js';

// Two replicas of the digest schedule, each with its own store (its own connection pool) and job
// worker, on one PostgreSQL database, with one fake clock. Two real server processes would test
// nothing more here: the claim that must go to one replica is the database's (SKIP LOCKED and the
// period's delivery key), and a fake clock moves a week at once, which a child process's own clock
// could not without a test-only option in the server.

const available = await postgresAvailable();
const day = 24 * 60 * 60 * 1000;
const channelKey = 'slack:C0DIGEST';

const notAsked: Navigator = {
  usesLanguageModel: false,
  ask: () => Promise.reject(new Error('a digest does not ask the Navigator')),
};

interface Replica {
  store: SqlNavigatorStore;
  jobs: DurableJobs;
  schedule: DigestSchedule;
}

describe.skipIf(!available)('knowledge digests with two replicas on one PostgreSQL database', () => {
  let database: TestDatabase;
  let fake: FakeSlackApi;
  let knowledgeDir: string;
  let clock: Date;
  let replicas: Replica[] = [];
  const logs: string[] = [];
  const log: ChannelContext['log'] = (level, message) => logs.push(`${level} ${message}`);

  async function startReplica(): Promise<Replica> {
    const config = loadConfig({ KNOWLEDGE_DIR: knowledgeDir, NAVIGATOR_DATA_DIR: tmpdir() });
    const store = await openNavigatorStore({
      dataDir: join(tmpdir(), 'navigator-unused'),
      databaseUrl: database.url,
      now: () => clock,
      importJsonlQueues: false,
      jobs: { backoffBaseMs: 50, backoffMaxMs: 200 },
    });
    const jobs = new DurableJobs(store.jobs, log, { pollMs: 50 });
    registerSlackDigestJobs(
      { config, navigator: notAsked, store, jobs, log },
      new webApi.WebClient('xoxb-test-token', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } }),
    );
    jobs.start();
    return {
      store,
      jobs,
      schedule: new DigestSchedule(store.digestSubscriptions, jobs, log, { everyMs: 60_000 }),
    };
  }

  /** Both replicas look for due digests at the same moment; returns how many each took. */
  const bothLook = () => Promise.all(replicas.map((replica) => replica.schedule.runOnce()));

  /** Waits until `done` digest jobs are finished and none is left, then says what Slack was sent. */
  async function postsOnceSettled(done: number) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const counts = await replicas[0]!.store.jobs.counts();
      if (counts.done === done && counts.queued + counts.running === 0) break;
      if (Date.now() > deadline)
        throw new Error(`waited for ${done} finished digest job(s): ${JSON.stringify(counts)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return fake.delivered('chat.postMessage');
  }

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(async () => {
    fake = await startFakeSlackApi();
    knowledgeDir = copyFixtureKnowledge();
    clock = new Date('2031-03-03T09:00:00Z');
    replicas = [await startReplica(), await startReplica()];
    await replicas[0]!.store.sql.execute(
      'TRUNCATE digest_subscriptions, jobs, job_sends, delivery_keys CASCADE',
    );
    await runDigestCommand(replicas[0]!.store, knowledgeDir, {
      channelKey,
      command: readDigestCommand('subscribe weekly')!,
      user: 'U0ALICE',
      unsubscribeHint: '`/navigator unsubscribe`',
    });
  });
  afterEach(async () => {
    for (const replica of replicas) {
      await replica.jobs.stop(1_000);
      await replica.store.close();
    }
    await fake.close();
  });

  it('posts a digest once per period, and again once the next period has elapsed', async () => {
    expect(await bothLook()).toEqual([0, 0]);

    writeEntry(
      knowledgeDir,
      'toolkits/budget-vote-handbook.md',
      readFileSync(join(knowledgeDir, 'toolkits', 'budget-vote-handbook.md'), 'utf8').replace(
        'A rulebook template',
        'A rulebook template, a costing sheet',
      ),
    );
    clock = new Date(clock.getTime() + 7 * day);
    const taken = await bothLook();
    expect(taken.sort()).toEqual([0, 1]);
    expect(await bothLook()).toEqual([0, 0]);

    const first = await postsOnceSettled(1);
    expect(first).toHaveLength(1);
    expect(first[0]!.args.channel).toBe('C0DIGEST');
    expect(first[0]!.args.text).toBe(
      'The PSI Navigator library holds 6 entries (3 cases, 1 toolkit, 1 skill, 1 facet). ' +
        'Since you subscribed, 1 entry was added or changed:',
    );
    expect(JSON.stringify(first[0]!.args.blocks)).toContain(
      '<https://example.org/budget-vote-handbook|Handbook for running a budget vote>',
    );

    clock = new Date(clock.getTime() + 7 * day);
    expect((await bothLook()).sort()).toEqual([0, 1]);
    const posts = await postsOnceSettled(2);
    expect(posts).toHaveLength(2);
    // The change was told last week: this week has nothing, and says so in one line.
    expect(posts[1]!.args.text).toBe(
      'Nothing was added to or changed in the PSI Navigator library this week.',
    );
    expect(posts[1]!.args.blocks).toHaveLength(1);
  });

  it('leaves a digest claimed by a replica that stopped to the other, after the lease', async () => {
    clock = new Date(clock.getTime() + 7 * day);
    // The first replica takes the due digest and stops before storing its job.
    expect(await replicas[0]!.store.digestSubscriptions.claimDue(5 * 60 * 1000)).toHaveLength(1);
    expect(await replicas[1]!.schedule.runOnce()).toBe(0);
    clock = new Date(clock.getTime() + 5 * 60 * 1000);
    expect(await replicas[1]!.schedule.runOnce()).toBe(1);
    expect(await postsOnceSettled(1)).toHaveLength(1);
  });

  it('posts nothing to a channel that unsubscribed before its digest went out', async () => {
    clock = new Date(clock.getTime() + 7 * day);
    await replicas[1]!.jobs.stop(1_000);
    await replicas[0]!.jobs.stop(1_000);
    expect((await bothLook()).sort()).toEqual([0, 1]);
    await runDigestCommand(replicas[1]!.store, knowledgeDir, {
      channelKey,
      command: readDigestCommand('unsubscribe')!,
      unsubscribeHint: '',
    });
    replicas[0]!.jobs.start();
    expect(await postsOnceSettled(1)).toEqual([]);
  });
});
