import { randomBytes } from 'node:crypto';
import pg from 'pg';

// The machine's PostgreSQL (trust auth, user postgres); each suite creates its own database and
// drops it afterwards, so suites never see each other's rows.
const adminUrl = process.env.NAVIGATOR_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** True when the test server answers; CI must have it, a developer's machine may not. */
export async function postgresAvailable(): Promise<boolean> {
  try {
    await withAdmin((client) => client.query('SELECT 1'));
    return true;
  } catch {
    if (process.env.CI) throw new Error(`PostgreSQL is needed for the store tests in CI (${adminUrl})`);
    return false;
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database with a unique name. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `navigator_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin(async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}
