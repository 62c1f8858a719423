import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyAnswer } from '../../src/assistant/answer.js';
import { openNavigatorStore, type SqlNavigatorStore } from '../../src/store/open-store.js';
import { percentile } from '../metrics.js';

// The store's latency per operation, the same calls the adapters make per event, one at a time.

type Operation = [name: string, run: (index: number) => Promise<unknown>];

function operations(store: SqlNavigatorStore): Operation[] {
  const jobIds: string[] = [];
  const state = { topic: 'benefits', intent: 'peer_cases', filters: {}, listed: [], history: [] };
  return [
    ['deliveryKeys.claim', (index) => store.deliveryKeys.claim([`event:${index}`, `message:C1:${index}`])],
    [
      'jobs.enqueue (with keys)',
      async (index) => {
        const result = await store.jobs.enqueue({
          kind: 'bench',
          payload: { channel: 'C1', threadTs: String(index), text: 'Who has made benefits proactive?' },
          deliveryKeys: [`job-event:${index}`],
        });
        if (result.status === 'enqueued') jobIds.push(result.jobId);
      },
    ],
    [
      'jobs.claim + complete',
      async () => {
        const job = await store.jobs.claim('bench', { leaseMs: 60_000 });
        if (job) await store.jobs.complete(job);
      },
    ],
    [
      'jobs.claimSend + confirmSend',
      async (index) => {
        const jobId = jobIds[(index + jobIds.length) % jobIds.length]!;
        if (await store.jobs.claimSend({ jobId }, `${jobId}:answer:${index}`))
          await store.jobs.confirmSend(`${jobId}:answer:${index}`, { ts: '1.2' });
      },
    ],
    [
      'conversations.set',
      (index) => store.conversations.set(`slack:C1:${index}`, { ...state, updatedAt: Date.now() } as never),
    ],
    ['conversations.get', (index) => store.conversations.get(`slack:C1:${index}`)],
    [
      'questionLog.record',
      (index) =>
        store.questionLog.record({
          channel: 'slack',
          intent: 'peer_cases',
          status: 'answered',
          topic: `question ${index}`,
          citedIds: ['estonia-proactive-family-benefits'],
          latencyMs: 42,
          language: 'en',
          user: `U${index}`,
        }),
    ],
    [
      'sharedAnswers.keep',
      (index) =>
        store.sharedAnswers.keep({
          answer: emptyAnswer('answered', 'question', 'text'),
          question: `q${index}`,
          conversationId: `c${index}`,
        }),
    ],
    ['feedback.record', () => store.feedback.record({ channel: 'slack', rating: 'helpful', question: 'q' })],
  ];
}

/** Markdown rows: p50 and p95 per operation on one engine (`databaseUrl` set: PostgreSQL). */
export async function measureStoreLatency(
  engineName: string,
  databaseUrl: string | undefined,
  iterations = 500,
): Promise<string[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'psi-bench-store-'));
  const store = await openNavigatorStore({ dataDir, databaseUrl, importJsonlQueues: false });
  const rows: string[] = [];
  try {
    for (const [name, run] of operations(store)) {
      for (let index = 0; index < 20; index += 1) await run(-index - 1);
      const times: number[] = [];
      for (let index = 0; index < iterations; index += 1) {
        const started = performance.now();
        await run(index);
        times.push(performance.now() - started);
      }
      const cells = [0.5, 0.95].map((share) => `${percentile(times, share).toFixed(2)} ms`);
      rows.push(`| ${engineName} | ${name} | ${iterations} | ${cells.join(' | ')} |`);
    }
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}
