import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}', 'test/fuzz/**/*.test.ts'],
          environment: 'happy-dom',
          setupFiles: ['test/support/unit-setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts', 'test/chaos/**/*.e2e.test.ts', 'test/bench/**/*.e2e.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One Chromium at a time: the machine has two cores.
          fileParallelism: false,
        },
      },
      {
        // The guarantee suite in Chromium, Firefox and WebKit: one engine (one browser) at a time.
        test: {
          name: 'engines',
          include: ['test/engines/**/*.engines.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // `npm run test:chaos`: the full chaos suite (its short form is in the e2e project).
        test: {
          name: 'chaos',
          include: ['test/chaos/**/*.chaos.test.ts'],
          environment: 'node',
          testTimeout: 1_800_000,
          fileParallelism: false,
        },
      },
      {
        // Measurements, run by hand (`npx vitest run --project bench`), never by `npm test`.
        test: {
          name: 'bench',
          include: ['test/bench/**/*.bench.ts'],
          environment: 'node',
          testTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
