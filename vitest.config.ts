import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

// Tests that restart the Docker engine itself: they would cut every other test's containers'
// streams, so `npm test` runs them alone, after the rest (BERTH_ENGINE_RESTART_TESTS=1).
const engineRestartTests = ['server/workspaces/engine-restart.int.test.ts'];
const engineRestartRun = process.env.BERTH_ENGINE_RESTART_TESTS === '1';

export default defineConfig({
  // The same '@/…' imports as Next.js (tsconfig paths), for components' unit tests.
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: engineRestartRun ? engineRestartTests : ['server/**/*.test.ts', 'components/**/*.test.ts'],
    exclude: engineRestartRun ? configDefaults.exclude : [...configDefaults.exclude, ...engineRestartTests],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One retry in CI only, as in playwright.config.ts: a real regression fails both tries.
    retry: process.env.CI ? 1 : 0,
  },
});
