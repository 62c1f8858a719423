// The one seam between the store and a database: both engines speak PostgreSQL, so every table
// and every statement in src/store is written once. Parameters are bound ($1, $2 …), never spliced.

/** Which engine holds the state: a PostgreSQL server, or PGlite embedded in the data dir. */
export type StoreEngineName = 'postgres' | 'embedded';

/** What a statement runs on: the engine itself, a transaction, or one held connection. */
export interface SqlSession {
  /** Runs one statement and returns its rows. */
  query<Row extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  execute(script: string): Promise<void>;
}

/** A database the store can run on. */
export interface SqlEngine extends SqlSession {
  readonly name: StoreEngineName;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Runs `work` on one connection held throughout, for session-level locks (migrations). */
  withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Closes the connections (or the embedded database); the engine is unusable afterwards. */
  close(): Promise<void>;
}

/** JSON as the store keeps it in jsonb columns. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A parameter for a jsonb column: serialised here so that both drivers bind the same text. */
export function jsonParameter(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** A parameter for a timestamptz column, as ISO text (both drivers bind it the same way). */
export function timeParameter(date: Date): string {
  return date.toISOString();
}

/** A timestamptz value read back: the drivers give a Date, or text when a type parser is absent. */
export function readTime(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') return new Date(value);
  throw new TypeError(`Expected a timestamp from the database, got ${typeof value}`);
}

/** An optional timestamptz value read back. */
export function readOptionalTime(value: unknown): Date | undefined {
  return value === null || value === undefined ? undefined : readTime(value);
}

/** A jsonb value read back; both drivers parse jsonb, so this only names the expected shape. */
export function readJson<T>(value: unknown): T {
  return value as T;
}

/** `undefined` and `null` both become SQL NULL. */
export function nullable<T>(value: T | undefined | null): T | null {
  return value ?? null;
}

/** A database text column read back as an optional string. */
export function readOptionalText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
