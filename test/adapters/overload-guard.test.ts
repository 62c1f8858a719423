import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { overloadGuard } from '../../adapters/overload-guard.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** A real server whose /slow requests wait until `release()`. */
async function slowServer(maxInFlight: number) {
  const guard = overloadGuard(maxInFlight);
  const waiting: (() => void)[] = [];
  const app = express();
  app.use(guard);
  app.post('/slow', (_request, response) => {
    waiting.push(() => response.status(200).json({ ok: true }));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`;
  const until = async (check: () => boolean) => {
    while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return {
    guard,
    url,
    post: (signal?: AbortSignal) => fetch(url, { method: 'POST', signal }),
    waiting: () => waiting.length,
    until,
    release: () => waiting.splice(0).forEach((respond) => respond()),
  };
}

describe('the overload guard', () => {
  it('answers 503 with Retry-After past the limit, and takes requests again once some finish', async () => {
    const server = await slowServer(8);
    const held = Array.from({ length: 8 }, () => server.post());
    await server.until(() => server.waiting() === 8);
    const refused = await server.post();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(server.guard.refused).toBe(1);
    server.release();
    expect((await Promise.all(held)).map((response) => response.status)).toEqual(Array(8).fill(200));
    await server.until(() => server.guard.inFlight === 0);
    const again = server.post();
    await server.until(() => server.waiting() === 1);
    server.release();
    expect((await again).status).toBe(200);
  });

  it('counts a request whose client went away as finished', async () => {
    const server = await slowServer(8);
    const controller = new AbortController();
    const abandoned = server.post(controller.signal).catch(() => undefined);
    await server.until(() => server.guard.inFlight === 1);
    controller.abort();
    await abandoned;
    await server.until(() => server.guard.inFlight === 0);
    expect(server.guard.inFlight).toBe(0);
  });
});
