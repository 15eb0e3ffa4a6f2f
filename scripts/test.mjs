// `npm test`: does its own set-up on a fresh machine (dependencies, Chromium, a Docker engine,
// the workspace image), then runs every suite: type check, Vitest (unit + integration on the
// real Docker engine and PostgreSQL), Playwright (real browser against a production build).
// Ends with one summary line "N passed, N failed" over all suites.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureDockerEngine } from './docker-engine.mjs';
import { bin, commandExists, ensureDependencies, isRoot, root, run, say } from './lib.mjs';
import { ensureWorkspaceImage } from './workspace-image.mjs';

// Debian packages the tests use: Chromium for the browser tests, Info-ZIP's unzip to check
// that exported ZIPs open in another tool. Program path → package.
const TEST_PACKAGES = { '/usr/bin/chromium': 'chromium', '/usr/bin/unzip': 'unzip' };
const results = path.join(root, 'test-results');

async function ensureTestPackages() {
  const missing = Object.entries(TEST_PACKAGES)
    .filter(([program]) => !existsSync(program))
    .map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  if (!isRoot() || !commandExists('apt-get')) {
    throw new Error(
      `Missing for the tests: ${missing.join(', ')}. Install (Debian: sudo apt-get install -y ${missing.join(' ')}) and run npm test again.`,
    );
  }
  say(`installing ${missing.join(', ')} from Debian packages for the tests…`);
  await run('apt-get', ['update', '-qq']);
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    env: { DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

async function step(name, fn, tally) {
  say(`── ${name}`);
  try {
    await fn();
  } catch (error) {
    tally.errors.push(`${name}: ${error.message}`);
  }
}

const tally = { passed: 0, failed: 0, skipped: 0, errors: [] };
const only = process.argv[2]; // optional: "unit", "e2e" or "image"

await ensureDependencies();
await ensureTestPackages();
await ensureDockerEngine();
// Integration and e2e tests run workspaces from exactly this image.
process.env.WORKSPACE_IMAGE = await ensureWorkspaceImage();
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

await step('type check', () => run(bin('tsc'), ['--noEmit', '-p', '.']), tally);

if (!only || only === 'unit') {
  const report = path.join(results, 'vitest.json');
  await step(
    'unit and integration tests (Vitest)',
    () => run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]),
    tally,
  );
  countVitest(report);
  // Alone, after the rest: these restart the Docker engine under running workspaces.
  const engineReport = path.join(results, 'vitest-engine-restart.json');
  await step(
    'engine-restart tests (Vitest, alone)',
    () =>
      run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${engineReport}`], {
        env: { BERTH_ENGINE_RESTART_TESTS: '1' },
      }),
    tally,
  );
  countVitest(engineReport);
}

function countVitest(report) {
  const vitest = readJson(report);
  if (vitest) {
    tally.passed += vitest.numPassedTests;
    tally.failed += vitest.numFailedTests;
    tally.skipped += vitest.numPendingTests + vitest.numTodoTests;
  } else tally.errors.push(`Vitest wrote no report (${path.basename(report)})`);
}

if (!only || only === 'e2e') {
  await step('end-to-end tests (Playwright + Chromium)', () => run(bin('playwright'), ['test']), tally);
  countPlaywright(path.join(results, 'e2e-report.json'));
}

if (!only || only === 'image') {
  // Berth's own image, built and run as a container (issue 7): slower, so last.
  await step(
    'image tests (berth:latest in a container + Chromium)',
    () => run(bin('playwright'), ['test', '-c', 'playwright.image.config.ts']),
    tally,
  );
  countPlaywright(path.join(results, 'e2e-image-report.json'));
}

function countPlaywright(report) {
  const json = readJson(report);
  if (json?.stats) {
    tally.passed += json.stats.expected + json.stats.flaky;
    tally.failed += json.stats.unexpected;
    tally.skipped += json.stats.skipped;
  } else tally.errors.push(`Playwright wrote no report (${path.basename(report)})`);
}

for (const error of tally.errors) console.error(`\x1b[31m✗ ${error}\x1b[0m`);
console.log(`${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
process.exit(tally.failed > 0 || tally.errors.length > 0 ? 1 : 0);
