// Helpers shared by the npm scripts. Node built-ins only: these run before `npm ci`.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function say(message) {
  console.log(`\x1b[36m[berth]\x1b[0m ${message}`);
}

/** Runs a command, inheriting stdio; rejects with its exit code. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: 'inherit',
      cwd: root,
      ...options,
      env: { ...process.env, ...options.env },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`)),
    );
  });
}

export const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** Installs dependencies when node_modules is missing or older than the lockfile. */
export async function ensureDependencies() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  say('installing dependencies (npm ci)…');
  const env = { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
  try {
    await run('npm', ['ci', '--no-audit', '--no-fund'], { env });
  } catch (error) {
    // A registry mirror that lacks another platform's optional binaries makes `npm ci` refuse
    // the lockfile; `npm install` still installs exactly what this machine needs.
    say(`npm ci failed (${error.message}); trying npm install`);
    await run('npm', ['install', '--no-audit', '--no-fund'], { env });
  }
}

const BUILD_INPUTS = [
  'app',
  'components',
  'server',
  'prisma',
  'public',
  'next.config.mjs',
  'postcss.config.mjs',
  'tsconfig.json',
  'package-lock.json',
];
// public/monaco is copied from node_modules (covered by package-lock.json); thousands of files.
const SKIP = new Set(['node_modules', '.next', 'generated', 'monaco']);

function hashTree(hash, target) {
  if (!existsSync(target)) return;
  const stats = statSync(target);
  if (stats.isDirectory()) {
    for (const entry of readdirSync(target).sort()) if (!SKIP.has(entry)) hashTree(hash, path.join(target, entry));
  } else if (!/\.test\.tsx?$/.test(target)) {
    hash.update(path.relative(root, target));
    hash.update(readFileSync(target));
  }
}

/** A hash of everything the production build is made from. */
export function sourceHash() {
  const hash = createHash('sha256');
  for (const input of BUILD_INPUTS) hashTree(hash, path.join(root, input));
  return hash.digest('hex');
}

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function commandExists(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}
