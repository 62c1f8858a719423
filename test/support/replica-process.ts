import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths.js';
import { defaultMaxHeapMb } from '../../src/server-config.js';
import { dataDirWithSharedEmbeddings } from './shared-embeddings.js';

// A real `npm start` process (dist/adapters/main.js) on a loopback port: how the replica tests run
// the Navigator as an operator would, several of them on one database.

export interface ReplicaProcess {
  url: string;
  /** Everything the process wrote, stdout and stderr. */
  output(): string;
  /** Sends `signal` and resolves with the exit code once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  readonly child: ChildProcess;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts a replica with its own data dir (its own search index) and waits until /healthz answers 200. */
export async function startReplica(environment: Record<string, string>): Promise<ReplicaProcess> {
  const port = await freePort();
  // The heap limit `npm start` gives (package.json's start script; a config test keeps them equal).
  const heapFlag = `--max-old-space-size=${environment.NAVIGATOR_MAX_HEAP_MB ?? defaultMaxHeapMb}`;
  const child = spawn(process.execPath, [heapFlag, join(projectRoot(), 'dist', 'adapters', 'main.js')], {
    cwd: projectRoot(),
    env: {
      PATH: process.env.PATH ?? '',
      KNOWLEDGE_DIR: join(projectRoot(), 'knowledge'),
      NAVIGATOR_DATA_DIR: dataDirWithSharedEmbeddings(),
      NAVIGATOR_LOG_LEVEL: 'info',
      PORT: String(port),
      ...environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the replica exited at start:\n${output}`);
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) throw new Error(`the replica did not become healthy:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
