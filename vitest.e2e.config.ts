import { defineConfig } from 'vitest/config';

// Large tests: a real `lotse serve` process, Debian's chromium through playwright-core, axe.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
