import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // *.int.test.ts files run too: each skips itself unless its live-service env is set.
    exclude: ['**/node_modules/**'],
    testTimeout: 20_000,
    pool: 'forks',
    // build-dist: the CLI tests spawn dist/cli.js, so it is rebuilt first whenever src/ changed.
    globalSetup: ['test/support/temp-root.ts', 'test/support/build-dist.ts'],
  },
});
