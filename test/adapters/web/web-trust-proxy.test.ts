import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebTestServer, WebClient, type WebTestServer } from './support/web-test-server.js';

// NAVIGATOR_TRUST_PROXY over a real socket: behind a balancer (here the test itself, on loopback)
// the per-address ask limit counts the client X-Forwarded-For names; without it, the header is
// ignored, so a forged one cannot dodge the limit.

const limited = { NAVIGATOR_WEB_ASKS_PER_MINUTE_PER_IP: '2' };
let behindBalancer: WebTestServer;
let direct: WebTestServer;

beforeAll(async () => {
  [behindBalancer, direct] = await Promise.all([
    startWebTestServer({ ...limited, NAVIGATOR_TRUST_PROXY: 'loopback' }),
    startWebTestServer(limited),
  ]);
});
afterAll(async () => {
  await Promise.all([behindBalancer?.close(), direct?.close()]);
});

/** One ask from a new visitor (so only the per-address limit applies), as sent through a proxy. */
async function askFrom(server: WebTestServer, forwardedFor: string): Promise<number> {
  const visitor = new WebClient(server.url);
  await visitor.open();
  const response = await visitor.post(
    '/api/ask',
    { question: 'Who has made benefits proactive?' },
    { 'x-forwarded-for': forwardedFor },
  );
  await response.arrayBuffer();
  return response.status;
}

describe('the per-address ask limit behind a load balancer', () => {
  it('counts each client named by a trusted proxy on its own', async () => {
    expect(await askFrom(behindBalancer, '203.0.113.7')).toBe(200);
    expect(await askFrom(behindBalancer, '203.0.113.7')).toBe(200);
    expect(await askFrom(behindBalancer, '203.0.113.7')).toBe(429);
    // Another client behind the same balancer is not held back by the first.
    expect(await askFrom(behindBalancer, '198.51.100.20')).toBe(200);
  });

  it('ignores X-Forwarded-For when no proxy is trusted: a forged one does not dodge the limit', async () => {
    expect(await askFrom(direct, '203.0.113.7')).toBe(200);
    expect(await askFrom(direct, '198.51.100.20')).toBe(200);
    expect(await askFrom(direct, '192.0.2.99')).toBe(429);
  });
});
