import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openNavigatorStore,
  type OpenStoreOptions,
  type SqlNavigatorStore,
} from '../../../src/store/open-store.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './test-databases.js';

// One contract, two engines: the store contract tests run on embedded PGlite and on PostgreSQL. On
// PostgreSQL `replica` is a second store (its own pool) on the same database, as a second replica
// would be; on the embedded engine, which serves one process, it is the same store.

export const contractSalt = 'contract-test-salt-0123456789';
export const contractStart = new Date('2030-01-01T00:00:00Z');
export const minute = 60 * 1000;
export const hour = 60 * minute;
export const day = 24 * hour;

const tables = [
  'conversations',
  'delivery_keys',
  'jobs',
  'job_sends',
  'teams_conversation_references',
  'teams_sent_answers',
  'shared_answers',
  'feedback',
  'case_submissions',
  'question_log',
  'engaged_threads',
  'channel_settings',
  'rate_limit_windows',
  'hand_offs',
  'digest_subscriptions',
];

export interface EngineFixture {
  name: 'embedded' | 'postgres';
  open(
    options: Omit<OpenStoreOptions, 'dataDir'>,
  ): Promise<{ store: SqlNavigatorStore; replica: SqlNavigatorStore }>;
  cleanup(): Promise<void>;
}

function embeddedFixture(): EngineFixture {
  let dataDir = '';
  return {
    name: 'embedded',
    async open(options) {
      dataDir = await mkdtemp(join(tmpdir(), 'navigator-store-'));
      const store = await openNavigatorStore({ ...options, dataDir });
      return { store, replica: store };
    },
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
}

function postgresFixture(): EngineFixture {
  let database: TestDatabase | undefined;
  return {
    name: 'postgres',
    async open(options) {
      database = await createTestDatabase();
      const dataDir = join(tmpdir(), 'navigator-store-unused');
      const store = await openNavigatorStore({ ...options, dataDir, databaseUrl: database.url });
      const replica = await openNavigatorStore({ ...options, dataDir, databaseUrl: database.url });
      return { store, replica };
    },
    cleanup: async () => database?.drop(),
  };
}

export const storeFixtures: EngineFixture[] = [embeddedFixture()];
if (await postgresAvailable()) storeFixtures.push(postgresFixture());
else
  console.warn(
    'PostgreSQL is not running at 127.0.0.1:5432: the store contract runs on the embedded engine only',
  );

/** The store and its replica on `fixture`, with the test's clock and quick job backoff. */
export function openContractStores(fixture: EngineFixture, now: () => Date) {
  return fixture.open({
    hashSalt: contractSalt,
    now,
    jobs: { backoffBaseMs: 1_000, backoffMaxMs: 60_000 },
  });
}

export async function closeContractStores(
  fixture: EngineFixture,
  store: SqlNavigatorStore | undefined,
  replica: SqlNavigatorStore | undefined,
): Promise<void> {
  await store?.close();
  if (replica !== store) await replica?.close();
  await fixture.cleanup();
}

/** Every test starts from empty tables. */
export async function emptyTables(store: SqlNavigatorStore): Promise<void> {
  await store.sql.execute(`TRUNCATE ${tables.join(', ')} CASCADE`);
}
