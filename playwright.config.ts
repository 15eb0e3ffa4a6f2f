// End-to-end tests: Debian's Chromium drives a production build of Berth that
// scripts/e2e-server.mjs starts on a fresh data folder (its own embedded PostgreSQL).
// Run with `npx playwright test` (or `npm run test:e2e`); never `npx playwright install`.
import { defineConfig, devices } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3210);
// Must be exactly BERTH_URL: it is the one Origin Socket.IO accepts and next-auth's base URL.
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // e2e/screenshots.spec.ts only captures pictures for review: run it with E2E_SCREENSHOTS=<dir>.
  testIgnore: process.env.E2E_SCREENSHOTS ? [] : ['**/screenshots.spec.ts'],
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  // One retry in CI only: a shared 2-core machine now and then starves a step past its timeout.
  // A real regression fails both tries; npm test lists each test that needed the retry.
  retries: process.env.CI ? 1 : 0,
  // One worker in CI: two browsers, the server and the workspaces share two cores there.
  workers: process.env.CI ? 1 : 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: 'test-results/e2e',
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-report.json' }]],
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 30_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: {
    command: 'node scripts/e2e-server.mjs',
    url: `${baseURL}/api/ready`,
    env: { E2E_PORT: String(port) },
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    // SIGTERM lets Berth stop its embedded PostgreSQL (which runs in its own process group,
    // so a SIGKILL of our group would orphan it) and the script remove the data folder.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
  },
});
