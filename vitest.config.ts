import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // *.int.test.ts files run too: each skips itself unless its live-service env is set.
    exclude: ['**/node_modules/**'],
    testTimeout: 20_000,
    pool: 'forks',
    globalSetup: ['test/support/temp-root.ts'],
  },
});
