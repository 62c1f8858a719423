import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Suites that build the GloVe cache or spawn the CLI are memory-heavy; keep the machine calm.
    maxWorkers: 2,
  },
});
