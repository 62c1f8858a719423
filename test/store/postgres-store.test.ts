import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNavigatorError } from '../../src/errors.js';
import { applyMigrations, migrations } from '../../src/store/migrations.js';
import { openNavigatorStore, type SqlNavigatorStore } from '../../src/store/open-store.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/test-databases.js';

// What only a PostgreSQL server can show: several replicas (pools) racing on one database, a
// server that cannot be reached, and a connection lost while running.

const available = await postgresAvailable();
const dataDir = join(tmpdir(), 'navigator-store-unused');

const validCase = (index: number) => ({
  title: `Case number ${index}`,
  country: 'Portugal',
  organisation: 'Municipality of Lisbon',
  whatWasDone: `Case ${index}: a participatory budget run with neighbourhood assemblies.`,
  link: `https://example.org/case-${index}`,
});

/** A loopback TCP proxy to the test server that can drop every connection and come back. */
async function startProxy(): Promise<{ port: number; stop(): Promise<void>; restart(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let server: Server;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(5432, '127.0.0.1');
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => {});
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  await listen();
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
    restart: listen,
  };
}

describe.skipIf(!available)('the PostgreSQL engine with several replicas', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('migrates once when several replicas start at the same moment', async () => {
    const stores = await Promise.all(
      Array.from({ length: 3 }, () =>
        openNavigatorStore({ dataDir, databaseUrl: database.url, poolSize: 3 }),
      ),
    );
    try {
      const rows = await stores[0]!.sql.query<{ version: number; count: number }>(
        'SELECT version, count(*)::integer AS count FROM schema_migrations GROUP BY version ORDER BY version',
      );
      expect(rows).toEqual(migrations.map((migration) => ({ version: migration.version, count: 1 })));
      expect(await applyMigrations(stores[1]!.sql)).toEqual([]);
      // No salt configured: the replicas settled on one generated salt.
      const salts = await stores[0]!.sql.query("SELECT value FROM store_settings WHERE key = 'hash_salt'");
      expect(salts).toHaveLength(1);
      await stores[0]!.feedback.record({ channel: 'slack', user: 'U1', rating: 'helpful' });
      await stores[2]!.feedback.record({ channel: 'slack', user: 'U1', rating: 'helpful' });
      const hashes = await stores[1]!.feedback.since(new Date(0));
      expect(new Set(hashes.map((record) => record.userHash)).size).toBe(1);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('stores 1,000 concurrent case submissions, each once, even when each is retried', async () => {
    const [first, second] = await Promise.all([
      openNavigatorStore({ dataDir, databaseUrl: database.url }),
      openNavigatorStore({ dataDir, databaseUrl: database.url }),
    ]);
    try {
      const submissions = Array.from({ length: 1_000 }, (_, index) => index);
      const results = await Promise.all(
        submissions.flatMap((index) => [
          first.caseSubmissions.submit(
            validCase(index),
            { channel: 'slack' },
            { submissionKey: `view:${index}` },
          ),
          second.caseSubmissions.submit(
            validCase(index),
            { channel: 'slack' },
            { submissionKey: `view:${index}` },
          ),
        ]),
      );
      expect(results.every((result) => result.ok)).toBe(true);
      const [counts] = await first.sql.query<{ rows: number; titles: number }>(
        'SELECT count(*)::integer AS rows, count(DISTINCT title)::integer AS titles FROM case_submissions',
      );
      expect(counts).toEqual({ rows: 1_000, titles: 1_000 });
      expect(results.filter((result) => result.ok && !result.duplicate)).toHaveLength(1_000);
    } finally {
      await Promise.all([first?.close(), second?.close()]);
    }
  });

  it('names DATABASE_URL, without its password, when the database cannot be reached at start', async () => {
    let error: unknown;
    try {
      await openNavigatorStore({
        dataDir,
        databaseUrl: 'postgres://navigator:hunter2-secret@127.0.0.1:1/navigator',
        connectAttempts: 2,
      });
    } catch (caught) {
      error = caught;
    }
    expect(isNavigatorError(error, 'store_unavailable')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('127.0.0.1:1');
    expect(message).not.toContain('hunter2-secret');
  });

  it('reports a lost connection in health() and recovers when the database is back', async () => {
    const proxy = await startProxy();
    const url = new URL(database.url);
    url.port = String(proxy.port);
    const warnings: string[] = [];
    const store: SqlNavigatorStore = await openNavigatorStore({
      dataDir,
      databaseUrl: url.toString(),
      connectAttempts: 2,
      log: (_level, message) => warnings.push(message),
    });
    try {
      expect(await store.health()).toEqual({ ok: true, engine: 'postgres' });
      await store.conversations.set('c1', {
        topic: 't',
        intent: 'question',
        filters: {},
        listed: [],
        history: [],
        updatedAt: 0,
      });
      await proxy.stop();
      const down = await store.health();
      expect(down.ok).toBe(false);
      expect(down.error).toContain('DATABASE_URL');
      await proxy.restart();
      expect(await store.health()).toEqual({ ok: true, engine: 'postgres' });
      expect((await store.conversations.get('c1'))?.topic).toBe('t');
      expect(warnings.some((warning) => warning.includes('connection broke'))).toBe(true);
    } finally {
      await store.close();
      await proxy.stop();
    }
  });
});
