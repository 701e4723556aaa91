import { defineConfig } from 'vitest/config';

// Unit (*.test.ts) and medium (*.db.test.ts) tests. LOTSE_TEST_DB=postgres runs the medium
// tests against the real PostgreSQL named by LOTSE_TEST_DATABASE_URL (see scripts/test.sh).
const onlyDb = process.env.LOTSE_TEST_DB === 'postgres';

export default defineConfig({
  test: {
    include: onlyDb ? ['src/**/*.db.test.{ts,tsx}', 'test/**/*.db.test.{ts,tsx}'] : ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    onConsoleLog: () => true,
  },
});
