// End-to-end tests against Berth's own image (issue 7): scripts/image-e2e-server.mjs builds
// berth:latest and runs it as a container with the host's Docker socket; the tests drive it
// through the container's port and restart the container. Run: npx playwright test -c playwright.image.config.ts
import { defineConfig, devices } from '@playwright/test';
import base from './playwright.config';

const port = Number(process.env.IMAGE_E2E_PORT ?? 3710);
const baseURL = `http://localhost:${port}`;
// The e2e helpers send this origin on API calls (Berth refuses cross-site changes).
process.env.E2E_PORT = String(port);

export default defineConfig({
  ...base,
  testDir: 'e2e-image',
  testMatch: '**/*.spec.ts',
  testIgnore: [],
  // Removes the Berth container and its workspaces even when the server script gets no signal.
  globalTeardown: './scripts/image-e2e-cleanup.mjs',
  workers: 1,
  timeout: 120_000,
  outputDir: 'test-results/e2e-image',
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-image-report.json' }]],
  use: { ...base.use, baseURL },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: {
    command: 'node scripts/image-e2e-server.mjs',
    url: `${baseURL}/api/ready`,
    env: { IMAGE_E2E_PORT: String(port) },
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 30_000 },
  },
});
