import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { NavigatorError } from '../errors.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import type { SqlEngine, SqlSession } from './sql-engine.js';

// Why PGlite (@electric-sql/pglite 0.5.17) and not better-sqlite3@12: PGlite is PostgreSQL itself
// (18.x, compiled to WASM), so the embedded default runs the very schema, migrations and SQL that the
// PostgreSQL engine runs (ON CONFLICT … RETURNING, FOR UPDATE SKIP LOCKED, jsonb, advisory locks):
// one contract, one set of statements, no dialect layer. It is pure WASM shipped inside the npm
// package (no native build, nothing downloaded at run time) and runs on Node 20; checked here: it
// opens offline, and every acknowledged write survived kill -9 in repeated trials.
// Its caveats, and what this file does about them:
// - single-user mode, one connection: statements from concurrent callers are queued by PGlite and a
//   transaction holds the database until it ends; SKIP LOCKED and advisory locks never contend. It
//   is for one process: several replicas need DATABASE_URL.
// - no lock on the data directory, and two processes on one directory corrupt it: data-dir-lock.ts.
// - fsync is off in its build: committed data survives a crash of the process, not of the machine.
// - close() checkpoints the WAL: the store's close() must run on shutdown.
// - memory: resident size is about 0.2 GB once open (0.8 GB while the very first start runs initdb).

export interface EmbeddedEngineOptions {
  /** NAVIGATOR_DATA_DIR; the database lives in its `store/` folder. */
  dataDir: string;
}

/** Where the embedded database lives inside the data dir. */
export function embeddedStorePath(dataDir: string): string {
  return join(dataDir, 'store');
}

function sessionOf(database: PGlite | Transaction): SqlSession {
  return {
    query: async <Row extends object>(sql: string, params: readonly unknown[] = []) =>
      (await database.query<Row>(sql, params as unknown[])).rows,
    execute: async (script) => {
      await database.exec(script);
    },
  };
}

/**
 * PostgreSQL's default 128 MB of shared buffers costs about 150 MB of resident memory inside the
 * WASM heap; the store's working set is small, so 16 MB is ample. Written to postgresql.auto.conf,
 * it takes effect from the next start (the first start, which also runs initdb, peaks higher anyway).
 */
async function shrinkSharedBuffers(database: PGlite): Promise<void> {
  const rows = (await database.query<{ shared_buffers: string }>('SHOW shared_buffers')).rows;
  if (rows[0]?.shared_buffers !== '16MB') await database.exec("ALTER SYSTEM SET shared_buffers = '16MB'");
}

export class EmbeddedEngine implements SqlEngine {
  readonly name = 'embedded' as const;
  private readonly session: SqlSession;
  private closing?: Promise<void>;

  private constructor(
    private readonly database: PGlite,
    private readonly lock: DataDirLock,
  ) {
    this.session = sessionOf(database);
  }

  /** Takes the data dir's lock, then opens (or creates, about 5 s the first time) the database. */
  static async open(options: EmbeddedEngineOptions): Promise<EmbeddedEngine> {
    const directory = embeddedStorePath(options.dataDir);
    mkdirSync(options.dataDir, { recursive: true });
    const lock = lockDataDir(`${directory}.lock`, directory);
    try {
      const database = await PGlite.create(directory);
      await shrinkSharedBuffers(database);
      return new EmbeddedEngine(database, lock);
    } catch (cause) {
      lock.release();
      throw new NavigatorError(
        'store_unavailable',
        `Cannot open the embedded store in ${directory}: ` +
          `${cause instanceof Error ? cause.message : String(cause)}. If the folder was copied or left by ` +
          'another version, move it aside (the Navigator creates a new one), ' +
          'or set DATABASE_URL to use PostgreSQL.',
        { cause },
      );
    }
  }

  query<Row extends object>(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    return this.session.query<Row>(sql, params);
  }

  execute(script: string): Promise<void> {
    return this.session.execute(script);
  }

  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.database.transaction((transaction) => work(sessionOf(transaction)));
  }

  /** One connection is all there is; used only while opening, before anyone else queries. */
  withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return work(this.session);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.database.close();
      } finally {
        this.lock.release();
      }
    })();
    return this.closing;
  }
}
