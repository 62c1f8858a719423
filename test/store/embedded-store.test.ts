import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNavigatorError } from '../../src/errors.js';
import { embeddedStorePath } from '../../src/store/embedded-engine.js';
import { openNavigatorStore } from '../../src/store/open-store.js';

// What only the embedded engine has: a database in the data dir that outlives the process, and a
// lock so that a second process cannot open (and corrupt) it.

async function exitedProcessId(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('the embedded engine', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'navigator-embedded-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps state, migrations and the generated salt across a restart, and locks the data dir', async () => {
    const first = await openNavigatorStore({ dataDir });
    await first.questionLog.record({
      channel: 'cli',
      intent: 'question',
      status: 'answered',
      citedIds: [],
      latencyMs: 1,
      user: 'me',
    });
    const [salt] = await first.sql.query<{ value: string }>(
      "SELECT value FROM store_settings WHERE key = 'hash_salt'",
    );
    expect(salt?.value).toMatch(/^[0-9a-f]{64}$/);

    let error: unknown;
    try {
      await openNavigatorStore({ dataDir });
    } catch (caught) {
      error = caught;
    }
    expect(isNavigatorError(error, 'store_locked')).toBe(true);
    expect((error as Error).message).toContain(embeddedStorePath(dataDir));
    await first.close();

    const second = await openNavigatorStore({ dataDir });
    try {
      const [entry] = await second.questionLog.since(new Date(0));
      expect(entry?.channel).toBe('cli');
      const [again] = await second.sql.query<{ value: string }>(
        "SELECT value FROM store_settings WHERE key = 'hash_salt'",
      );
      expect(again?.value).toBe(salt?.value);
      await second.questionLog.record({
        channel: 'cli',
        intent: 'question',
        status: 'answered',
        citedIds: [],
        latencyMs: 1,
        user: 'me',
      });
      const hashes = (await second.questionLog.since(new Date(0))).map((record) => record.userHash);
      expect(new Set(hashes).size).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('takes over a lock left by a process that died, and refuses one held by a live process', async () => {
    const lockPath = `${embeddedStorePath(dataDir)}.lock`;
    const dead = await exitedProcessId();
    await writeFile(
      lockPath,
      JSON.stringify({ pid: dead, host: hostname(), acquiredAt: new Date().toISOString() }),
    );
    const store = await openNavigatorStore({ dataDir });
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
    await store.close();

    await writeFile(
      lockPath,
      JSON.stringify({ pid: process.ppid, host: hostname(), acquiredAt: new Date().toISOString() }),
    );
    let error: unknown;
    try {
      await openNavigatorStore({ dataDir });
    } catch (caught) {
      error = caught;
    }
    expect(isNavigatorError(error, 'store_locked')).toBe(true);
    expect((error as Error).message).toContain(`process ${process.ppid}`);
    expect((error as Error).message).toContain('DATABASE_URL');
    await rm(lockPath);
  });
});
