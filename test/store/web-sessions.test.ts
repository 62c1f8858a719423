import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNavigatorStore, type SqlNavigatorStore } from '../../src/store/open-store.js';
import { sessionIdOf } from '../../src/store/web-sessions.js';

// Web sessions and chat turns on the embedded engine, with a clock the test moves.

let dataDir: string;
let store: SqlNavigatorStore;
let now = new Date('2026-03-01T10:00:00Z');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'navigator-web-sessions-'));
  store = await openNavigatorStore({ dataDir, now: () => now, importJsonlQueues: false });
});

afterAll(async () => {
  await store?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('web sessions', () => {
  it('keeps only the hash of the cookie token and forgets a session once it expires', async () => {
    const { token, session } = await store.webSessions.create({ role: 'visitor', ttlMs: 60_000 });
    expect(session.sessionId).toBe(sessionIdOf(token));
    const rows = await store.sql.query<{ session_id: string }>('SELECT session_id FROM web_sessions');
    expect(rows.map((row) => row.session_id)).not.toContain(token);
    expect((await store.webSessions.find(token))?.csrfToken).toBe(session.csrfToken);
    now = new Date(now.getTime() + 61_000);
    expect(await store.webSessions.find(token)).toBeUndefined();
    expect(await store.webSessions.purgeExpired()).toBeGreaterThanOrEqual(1);
  });

  it('carries the conversation into a new session and removes the old one', async () => {
    const visitor = await store.webSessions.create({ role: 'visitor', ttlMs: 60_000 });
    const curator = await store.webSessions.create({
      role: 'curator',
      ttlMs: 60_000,
      conversationId: visitor.session.conversationId,
    });
    await store.webSessions.remove(visitor.session.sessionId);
    expect(await store.webSessions.find(visitor.token)).toBeUndefined();
    expect((await store.webSessions.find(curator.token))?.conversationId).toBe(
      visitor.session.conversationId,
    );
    expect(curator.session.csrfToken).not.toBe(visitor.session.csrfToken);
  });
});

describe('web chat turns', () => {
  it('lists the latest turns oldest first and rates only turns of that conversation', async () => {
    for (const question of ['one', 'two', 'three']) {
      await store.webChatTurns.append('web:a', question, { text: question });
      now = new Date(now.getTime() + 1_000);
    }
    const latest = await store.webChatTurns.list('web:a', { limit: 2 });
    expect(latest.map((turn) => turn.question)).toEqual(['two', 'three']);
    expect(await store.webChatTurns.rate('web:b', latest[0]!.turnId, 'helpful')).toBe(false);
    expect(await store.webChatTurns.rate('web:a', latest[0]!.turnId, 'not_helpful')).toBe(true);
    expect((await store.webChatTurns.get('web:a', latest[0]!.turnId))?.rating).toBe('not_helpful');
    expect(await store.webChatTurns.get('web:b', latest[0]!.turnId)).toBeUndefined();
  });
});
