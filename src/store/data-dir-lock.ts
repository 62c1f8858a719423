import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { NavigatorError } from '../errors.js';

// PGlite is PostgreSQL in single-user mode and takes no lock of its own: a second process opening
// the same directory succeeds, both write, and the directory is corrupted (electric-sql/pglite
// issues 323, 709, 1106). This file lock refuses the second opener instead. A lock left by a
// process that died (kill -9) is taken over: on this host when its process is gone, from another
// host (a shared volume) when its heartbeat has been silent for `staleAfterMs`.

interface LockOwner {
  pid: number;
  host: string;
  acquiredAt: string;
}

const heldInThisProcess = new Set<string>();
const heartbeatMs = 10_000;
const staleAfterMs = 60_000;

/** A held lock; `release` removes the file if it is still ours. */
export interface DataDirLock {
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

function isStale(path: string, owner: LockOwner | undefined, now: number, modifiedAt: number): boolean {
  // An unreadable file may be one another opener has created and not written yet.
  if (!owner || typeof owner.pid !== 'number') return now - modifiedAt > 5_000;
  if (owner.host === hostname()) {
    // Our own pid but not held by us: a previous run under the same pid (pid 1 in a container).
    if (owner.pid === process.pid) return !heldInThisProcess.has(path);
    return !isAlive(owner.pid);
  }
  return now - modifiedAt > staleAfterMs;
}

/** Takes the lock file at `path` for this process, or throws store_locked naming the holder. */
export function lockDataDir(path: string, storeDirectory: string): DataDirLock {
  if (heldInThisProcess.has(path))
    throw new NavigatorError(
      'store_locked',
      `The embedded store in ${storeDirectory} is already open in this process; ` +
        'open it once and share the store.',
    );
  mkdirSync(dirname(path), { recursive: true });
  const me: LockOwner = { pid: process.pid, host: hostname(), acquiredAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const descriptor = openSync(path, 'wx');
      writeSync(descriptor, JSON.stringify(me));
      closeSync(descriptor);
      heldInThisProcess.add(path);
      return holdLock(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(path);
    let modifiedAt: number;
    try {
      modifiedAt = statSync(path).mtimeMs;
    } catch {
      continue; // released in between: try again
    }
    if (!isStale(path, owner, Date.now(), modifiedAt)) {
      throw new NavigatorError(
        'store_locked',
        `The embedded store in ${storeDirectory} is in use by process ${owner?.pid ?? '?'} ` +
          `on ${owner?.host ?? '?'}. Only one process may open it: stop the other one, ` +
          'or set DATABASE_URL so that several processes share a PostgreSQL database.',
      );
    }
    try {
      unlinkSync(path);
    } catch {
      // Someone else took it over first; the next attempt finds out who.
    }
  }
  throw new NavigatorError(
    'store_locked',
    `Could not take the lock ${path} for the embedded store in ${storeDirectory}; ` +
      'another process keeps taking it.',
  );
}

function holdLock(path: string): DataDirLock {
  // The heartbeat tells a process on another host (a shared volume) that the holder is alive.
  const timer = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(path, now, now);
    } catch {
      // The file is gone (removed by hand); nothing to refresh.
    }
  }, heartbeatMs);
  timer.unref();
  const releaseOnExit = () => release();
  process.once('exit', releaseOnExit);
  let released = false;
  function release() {
    if (released) return;
    released = true;
    clearInterval(timer);
    process.removeListener('exit', releaseOnExit);
    heldInThisProcess.delete(path);
    const owner = readOwner(path);
    if (owner?.pid === process.pid && owner.host === hostname()) {
      try {
        unlinkSync(path);
      } catch {
        // Already gone.
      }
    }
  }
  return { release };
}
