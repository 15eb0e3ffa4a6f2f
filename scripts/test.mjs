// `npm test`: does its own set-up on a fresh machine (dependencies, Chromium, a Docker engine,
// the workspace image), then runs every suite: type check, lint and format check, Vitest (unit + integration on the
// real Docker engine and PostgreSQL), Playwright (real browser against a production build).
// Ends with one summary line "N passed, N failed" over all suites.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { ensureDockerEngine } from './docker-engine.mjs';
import { bin, commandExists, ensureDependencies, isRoot, root, run, say } from './lib.mjs';
import { ensureWorkspaceImage } from './workspace-image.mjs';

// Debian packages the tests use: Chromium for the browser tests, Info-ZIP's unzip to check
// that exported ZIPs open in another tool, util-linux's script and setpriv for the local-process
// runtime driver's terminals and clean-up (essential packages, so normally present). Program
// path → package.
const TEST_PACKAGES = {
  '/usr/bin/chromium': 'chromium',
  '/usr/bin/unzip': 'unzip',
  '/usr/bin/script': 'bsdutils',
  '/usr/bin/setpriv': 'util-linux',
};
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

const tally = { passed: 0, failed: 0, skipped: 0, skippedTitles: [], failedTitles: [], flakyTitles: [], errors: [] };
// In CI a skipped test is a failure: it proves nothing, and a missing tool or service must be
// installed, not stepped around. (Tests run in a pass of their own, like the engine-restart
// ones, are left out of the other passes by file pattern in vitest.config.ts, so never skip.)
const inCi = Boolean(process.env.CI) && !['0', 'false'].includes(process.env.CI.toLowerCase());
const only = process.argv[2]; // optional: "unit", "e2e" or "image"

await ensureDependencies();
await ensureTestPackages();
await ensureDockerEngine();
// Integration and e2e tests run workspaces from exactly this image.
process.env.WORKSPACE_IMAGE = await ensureWorkspaceImage();
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

await step('type check', () => run(bin('tsc'), ['--noEmit', '-p', '.']), tally);
await step(
  'lint (ESLint) and format check (Prettier)',
  async () => {
    await run(bin('eslint'), ['--max-warnings=0', '.']);
    await run(bin('prettier'), ['--check', '--log-level=warn', '.']);
  },
  tally,
);

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
    for (const file of vitest.testResults ?? [])
      for (const test of file.assertionResults ?? [])
        if (test.status === 'failed')
          tally.failedTitles.push(
            `${path.relative(root, file.name)} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`,
          );
        else if (test.status !== 'passed')
          tally.skippedTitles.push(`${path.relative(root, file.name)} › ${test.fullName} (${test.status})`);
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
    tally.skippedTitles.push(...skippedPlaywrightTitles(json.suites ?? []));
  } else tally.errors.push(`Playwright wrote no report (${path.basename(report)})`);
}

function skippedPlaywrightTitles(suites, parents = []) {
  const titles = [];
  for (const suite of suites) {
    const trail = [...parents, suite.title];
    for (const spec of suite.specs ?? [])
      for (const test of spec.tests ?? [])
        if (test.status === 'skipped') titles.push(`${[...trail, spec.title].join(' › ')} (${test.projectName})`);
        else if (test.status === 'flaky') tally.flakyTitles.push([...trail, spec.title].join(' › '));
        else if (test.status === 'unexpected')
          tally.failedTitles.push(
            `${[...trail, spec.title].join(' › ')}: ${firstLine(test.results?.at(-1)?.error?.message)}`,
          );
    titles.push(...skippedPlaywrightTitles(suite.suites ?? [], trail));
  }
  return titles;
}

if (tally.skipped > 0) {
  for (const title of tally.skippedTitles) console.error(`  skipped: ${title}`);
  if (inCi)
    tally.errors.push(
      `${tally.skipped} test(s) skipped (listed above): CI runs every test. Install what a skipped test needs ` +
        '(a package in TEST_PACKAGES, a service) or delete the test; a test must fail when its needs are missing, not skip.',
    );
}

// The CI log keeps only the tail: name every failure here, after the long suite output.
function firstLine(text) {
  return (
    stripVTControlCharacters(String(text ?? ''))
      .split('\n')
      .find((line) => line.trim()) ?? ''
  );
}
for (const title of tally.flakyTitles) console.error(`\x1b[33m  passed on retry: ${title}\x1b[0m`);
for (const title of tally.failedTitles) console.error(`\x1b[31m  failed: ${title.slice(0, 400)}\x1b[0m`);
for (const error of tally.errors) console.error(`\x1b[31m✗ ${error}\x1b[0m`);
console.log(`${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
process.exit(tally.failed > 0 || tally.errors.length > 0 ? 1 : 0);
