import { defineConfig } from 'vitest/config';

// Three projects, run together by `pnpm test:all` (or one at a time with --project):
//   unit         pure functions, no database, no network
//   integration  the real server against a real FerretDB (one throwaway FerretDB per run)
//   e2e          the built client in headless Chromium against the real server
const GLOBAL_SETUP = ['tests/helpers/global-setup.ts'];
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/dist/**', '.data/**', '.tools/**'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/**/*.test.{ts,tsx}'],
          exclude: [...ALWAYS_EXCLUDED, '**/*.int.test.ts', '**/*.e2e.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['server/**/*.int.test.ts', 'tests/integration/**/*.int.test.ts'],
          exclude: ALWAYS_EXCLUDED,
          globalSetup: GLOBAL_SETUP,
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          exclude: ALWAYS_EXCLUDED,
          globalSetup: GLOBAL_SETUP,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // one browser at a time, and only after the other projects: Chromium, the server and
          // FerretDB competing with the integration tests for CPU makes timings flaky
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
