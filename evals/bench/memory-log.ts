import { appendFileSync } from 'node:fs';

// Bench only: loaded into the soak replica with `--import`, so the bench can tell the JS heap from
// native memory. Writes process.memoryUsage() once a second as a JSON line.

const file = process.env.NAVIGATOR_BENCH_MEMORY_LOG;
if (file) {
  setInterval(() => {
    appendFileSync(file, `${JSON.stringify(process.memoryUsage())}\n`);
  }, 1000).unref();
}
