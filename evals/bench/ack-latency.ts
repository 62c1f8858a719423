import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config.js';
import { projectRoot } from '../../src/paths.js';
import { defaultMaxHeapMb } from '../../src/server-config.js';
import { percentile } from '../metrics.js';

// Acknowledgement latency of a real replica (dist/adapters/main.js) on PostgreSQL: signed Slack
// events sent open-loop at a fixed rate, each stored as a job before its 200. Slack's Web API is a
// loopback stand-in. The replica's memory is read before and during the soak.

const signingSecret = 'bench-signing-secret';

function startLoopbackSlack(): Promise<{ server: Server; url: string; posts: () => number }> {
  let posts = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const method = (request.url ?? '').replace(/^\/api\//, '');
      if (method === 'chat.postMessage') posts += 1;
      const body =
        method === 'auth.test'
          ? { ok: true, team_id: 'T0BENCH', user_id: 'U0NAVIGATOR', bot_id: 'B0NAVIGATOR' }
          : { ok: true, ts: `${Date.now() / 1000}`, channel: 'D0BENCH' };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}/api/`, posts: () => posts });
    }),
  );
}

function signedEvent(index: number): { body: string; headers: Record<string, string> } {
  const ts = `${1_800_000_000 + index}.000100`;
  const body = JSON.stringify({
    type: 'event_callback',
    team_id: 'T0BENCH',
    api_app_id: 'A0BENCH',
    event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 12)}`,
    event_time: Math.floor(Date.now() / 1000),
    event: {
      type: 'message',
      channel_type: 'im',
      channel: `D0BENCH${index % 50}`,
      user: 'U0ALICE',
      text: 'Who has made benefits proactive?',
      ts,
      event_ts: ts,
    },
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': `v0=${signature}`,
    },
  };
}

const rssMegabytes = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function sendAtRate(url: string, perSecond: number, seconds: number, offset: number) {
  const total = perSecond * seconds;
  const started = performance.now();
  const latencies: number[] = [];
  let failed = 0;
  const sends: Promise<void>[] = [];
  for (let index = 0; index < total; index += 1) {
    const due = started + (index * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const event = signedEvent(offset + index);
    const sent = performance.now();
    sends.push(
      fetch(`${url}/slack/events`, { method: 'POST', headers: event.headers, body: event.body }).then(
        async (response) => {
          await response.arrayBuffer();
          if (response.status === 200) latencies.push(performance.now() - sent);
          else failed += 1;
        },
        () => void (failed += 1),
      ),
    );
  }
  await Promise.all(sends);
  return { latencies, failed, total };
}

const soakStep = 5000;
const memoryLogModule = join(projectRoot(), 'dist', 'evals', 'bench', 'memory-log.js');
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** One soak row: RSS, and from the replica's own last reading the JS heap and its buffers. */
function memoryRow(sent: number, answered: number, pid: number, memoryLog: string, note = ''): string {
  const lines = readFileSync(memoryLog, 'utf8').trim().split('\n');
  const usage = JSON.parse(lines.at(-1)!) as NodeJS.MemoryUsage;
  const rss = rssMegabytes(pid);
  const native = rss - (usage.heapTotal + usage.external) / 1024 / 1024;
  return (
    `| ${sent}${note} | ${answered} | ${rss.toFixed(0)} MB | ${megabytes(usage.heapUsed)} / ` +
    `${megabytes(usage.heapTotal)} | ${megabytes(usage.external)} | ${native.toFixed(0)} MB |`
  );
}

const pick = (env: NodeJS.ProcessEnv, names: string[]) =>
  Object.fromEntries(names.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));

/** Markdown rows: ack p50/p99 at each rate, then memory at start, after them and through the soak. */
export async function measureAckLatency(
  config: Config,
  databaseUrl: string,
  rates = [50, 200],
  seconds = 10,
  soakEvents = 0,
): Promise<{ ackRows: string[]; soakRows: string[] }> {
  const slack = await startLoopbackSlack();
  const dataDir = mkdtempSync(join(tmpdir(), 'psi-bench-replica-'));
  symlinkSync(join(config.dataDir, 'embeddings'), join(dataDir, 'embeddings'));
  const memoryLog = join(dataDir, 'memory.jsonl');
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  // As `npm start` runs it; NAVIGATOR_MAX_HEAP_MB=4096 compares with V8's own limit.
  const heapMb = process.env.NAVIGATOR_MAX_HEAP_MB ?? String(defaultMaxHeapMb);
  const main = join(projectRoot(), 'dist', 'adapters', 'main.js');
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, main], {
    env: {
      PATH: process.env.PATH ?? '',
      KNOWLEDGE_DIR: config.knowledgeDir,
      NAVIGATOR_DATA_DIR: dataDir,
      NAVIGATOR_LOG_LEVEL: 'error',
      DATABASE_URL: databaseUrl,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_API_URL: slack.url,
      PORT: String(port),
      NAVIGATOR_MAX_HEAP_MB: heapMb,
      // To compare allocator and V8 settings in the soak, e.g. MALLOC_ARENA_MAX=2 or NODE_OPTIONS.
      ...pick(process.env, ['MALLOC_ARENA_MAX']),
      NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import=${memoryLogModule}`].filter(Boolean).join(' '),
      NAVIGATOR_BENCH_MEMORY_LOG: memoryLog,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let tries = 0; ; tries += 1) {
      const ok = await fetch(`${url}/healthz`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) break;
      if (tries > 600) throw new Error('the replica did not start');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the replica's first memory reading
    const soakRows = [memoryRow(0, 0, child.pid!, memoryLog, ' (at start)')];
    const ackRows: string[] = [];
    let sent = 0;
    let refused = 0;
    for (const rate of rates) {
      const { latencies, failed, total } = await sendAtRate(url, rate, seconds, sent);
      sent += total;
      const cells = [0.5, 0.99, 1].map((share) => `${percentile(latencies, share).toFixed(1)} ms`);
      ackRows.push(`| ${rate}/s | ${total} | ${failed} | ${cells.join(' | ')} |`);
    }
    soakRows.push(memoryRow(sent, slack.posts(), child.pid!, memoryLog));
    // The soak: more events at 200/s in steps of 5,000, memory read after each (issue: RSS grew
    // over 30,000 events), then once more after the replica has had a minute to answer.
    for (let left = soakEvents; left > 0; left -= soakStep) {
      const step = await sendAtRate(url, 200, Math.ceil(Math.min(left, soakStep) / 200), sent);
      sent += step.total;
      refused += step.failed;
      soakRows.push(memoryRow(sent, slack.posts(), child.pid!, memoryLog, ` (${refused} not 200)`));
    }
    if (soakEvents > 0) {
      await new Promise((resolve) => setTimeout(resolve, 60_000));
      soakRows.push(memoryRow(sent, slack.posts(), child.pid!, memoryLog, ' (a minute later)'));
    }
    return { ackRows, soakRows };
  } finally {
    child.kill('SIGKILL');
    slack.server.close();
  }
}
