import { defineConfig } from 'vitest/config';

/**
 * Three projects, by what they need:
 * - unit: pure code and loopback SMTP; no Temporal server.
 * - workflows: each file starts its own time-skipping test server (time skipping is global to a
 *   server), so files run one after another to keep two JVMs from fighting over two cores.
 * - e2e: one shared dev server started by global setup; files run one after another.
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          benchmark: { include: ['bench/**/*.bench.ts'] },
          exclude: ['test/workflows/**', 'test/e2e/**', 'test/foundation/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'workflows',
          benchmark: { include: [] },
          include: ['test/workflows/**/*.test.ts', 'test/foundation/**/*.test.ts'],
          setupFiles: ['test/support/quiet-runtime.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          benchmark: { include: [] },
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/dev-server-setup.ts'],
          setupFiles: ['test/support/quiet-runtime.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
