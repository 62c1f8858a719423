import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { dataDirWithSharedEmbeddings } from '../support/shared-embeddings.js';
import { until } from '../support/wait-until.js';

// `npm start` as an operator runs it: the heap limit comes from NAVIGATOR_MAX_HEAP_MB through the
// start script's node flag (a process started another way is warned), and the server comes up.

it('starts with the JS heap limit NAVIGATOR_MAX_HEAP_MB names', async () => {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: projectRoot(),
    detached: true,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      KNOWLEDGE_DIR: join(projectRoot(), 'knowledge'),
      NAVIGATOR_DATA_DIR: dataDirWithSharedEmbeddings(),
      NAVIGATOR_LOG_LEVEL: 'info',
      NAVIGATOR_MAX_HEAP_MB: '300',
      PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    await until('the server to listen', async () => output.includes('PSI Navigator listening'), 90_000);
    // V8 adds the young generation (tens of MB) to the old-space limit it was given.
    expect(output).toMatch(/INFO memory: JS heap limit 3\d\d MB \(NAVIGATOR_MAX_HEAP_MB=300\)/);
    expect(output).not.toContain('WARN memory');
  } finally {
    process.kill(-child.pid!, 'SIGKILL');
  }
});
