import type { ChannelContext } from '../../adapters/channel.js';
import { DurableJobs } from '../../adapters/durable-jobs.js';
import { openNavigatorStore, type Config, type Navigator, type SqlNavigatorStore } from '../../src/index.js';

interface OpenStore {
  store: Promise<SqlNavigatorStore>;
  users: number;
}

// The embedded store may be open once per process and data dir: test servers on the same data dir
// at the same time share it, and the last one to close closes it.
const openStores = new Map<string, OpenStore>();

async function openShared(config: Config, databaseUrl: string | undefined, log: ChannelContext['log']) {
  const key = databaseUrl ?? config.dataDir;
  let entry = openStores.get(key);
  if (!entry) {
    entry = {
      users: 0,
      store: openNavigatorStore({
        dataDir: config.dataDir,
        databaseUrl,
        // Retries come quickly in tests; the schedule itself is covered by the store's contract tests.
        jobs: { backoffBaseMs: 50, backoffMaxMs: 200 },
        log,
      }).then(async (store) => {
        // Each test starts with an empty queue: a job left by an earlier test is not this test's.
        await store.sql.execute('DELETE FROM job_sends; DELETE FROM jobs;');
        return store;
      }),
    };
    openStores.set(key, entry);
  }
  entry.users += 1;
  const store = await entry.store;
  const release = async () => {
    entry.users -= 1;
    if (entry.users > 0) return;
    openStores.delete(key);
    await store.close();
  };
  return { store, release };
}

/** What a channel needs from the host, on a real store: embedded in the data dir, or `databaseUrl`. */
export async function openTestContext(
  config: Config,
  navigator: Navigator,
  log: ChannelContext['log'],
  options: { databaseUrl?: string } = {},
): Promise<{ context: ChannelContext; store: SqlNavigatorStore; release: () => Promise<void> }> {
  const { store, release } = await openShared(config, options.databaseUrl ?? config.store.databaseUrl, log);
  const jobs = new DurableJobs(store.jobs, log, { pollMs: 50 });
  return { context: { config, navigator, store, jobs, log }, store, release };
}
