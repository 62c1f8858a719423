import pg from 'pg';
import { NavigatorError } from '../errors.js';
import type { SqlEngine, SqlSession } from './sql-engine.js';

// PostgreSQL through a pg Pool, for several replicas on one database. The pool replaces a broken
// connection on the next checkout, so a database that restarts is picked up again by itself; a
// checkout that fails is retried with backoff (nothing was sent yet, so a retry is always safe),
// and a statement that fails mid-way is reported to the caller, who knows whether to repeat it.

export interface PostgresEngineOptions {
  databaseUrl: string;
  /** Connections per replica. Default 10. */
  poolSize?: number;
  /** Checkouts tried before giving up with store_unavailable. Default 4 (about 1.5 s of backoff). */
  connectAttempts?: number;
  /** Where errors of broken connections go (unhandled, they would crash the process). */
  onConnectionError?: (error: Error) => void;
}

const backoffMs = (attempt: number) => Math.min(100 * 2 ** attempt, 2_000);

/** The URL with its password masked, for messages and logs. */
export function maskDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable URL)';
  }
}

export class PostgresEngine implements SqlEngine {
  readonly name = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly connectAttempts: number;
  private closed = false;

  private constructor(private readonly options: PostgresEngineOptions) {
    this.connectAttempts = options.connectAttempts ?? 4;
    this.pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      application_name: 'psi-navigator',
    });
    this.pool.on('error', (error) => options.onConnectionError?.(error));
  }

  /** Opens a pool and checks that the database answers; a clear store_unavailable error if not. */
  static async open(options: PostgresEngineOptions): Promise<PostgresEngine> {
    const engine = new PostgresEngine(options);
    try {
      await engine.query('SELECT 1');
    } catch (error) {
      await engine.close();
      throw error;
    }
    return engine;
  }

  async query<Row extends object>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.withSession((session) => session.query<Row>(sql, params));
  }

  async execute(script: string): Promise<void> {
    await this.query(script);
  }

  async transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.withSession(async (session) => {
      await session.execute('BEGIN');
      try {
        const result = await work(session);
        await session.execute('COMMIT');
        return result;
      } catch (error) {
        await session.execute('ROLLBACK').catch(() => {});
        throw error;
      }
    });
  }

  async withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.connect();
    // A checked-out client has no error listener of the pool's: a connection that dies between two
    // statements (or just as it is handed out) would otherwise be an uncaught exception.
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
      this.options.onConnectionError?.(error);
    };
    client.on('error', onError);
    const session: SqlSession = {
      query: async <Row extends object>(sql: string, params: readonly unknown[] = []) =>
        (await client.query<Row>(sql, params as unknown[])).rows,
      execute: async (script) => {
        await client.query(script);
      },
    };
    try {
      return await work(session);
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async connect(): Promise<pg.PoolClient> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.pool.connect();
      } catch (cause) {
        if (this.closed || attempt >= this.connectAttempts) throw this.unavailable(cause);
        await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
      }
    }
  }

  private unavailable(cause: unknown): NavigatorError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new NavigatorError(
      'store_unavailable',
      `Cannot reach the database that DATABASE_URL names (${maskDatabaseUrl(this.options.databaseUrl)}): ` +
        `${reason}. Check that the server is running and that DATABASE_URL is right, ` +
        'or unset DATABASE_URL to use the embedded store in NAVIGATOR_DATA_DIR.',
      { cause },
    );
  }
}
