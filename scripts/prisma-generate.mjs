#!/usr/bin/env node
// Runs `prisma generate` (Prisma 7) fully offline. The CLI insists on a schema engine
// binary it would otherwise download from binaries.prisma.sh, although generating the
// client (engineless, driver adapter) never executes it: point it at a stub.
// Run by `postinstall`, so it must work on a fresh clone right after `npm ci`.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const prismaBin = join(root, 'node_modules', 'prisma', 'build', 'index.js');
const stubDir = join(root, 'node_modules', '.cache', 'berth');
const stub = join(stubDir, 'prisma-engine-stub');
const TIMEOUT_MS = 120_000;

if (!existsSync(prismaBin)) {
  console.error(`prisma-generate: ${prismaBin} not found; run npm install first`);
  process.exit(1);
}

mkdirSync(stubDir, { recursive: true });
writeFileSync(
  stub,
  '#!/bin/sh\necho "Prisma engines are not installed in Berth (offline). Migrations: node scripts/prisma-migration-diff.mjs" >&2\nexit 1\n',
);
chmodSync(stub, 0o755);

// Respect real engines if the caller provides them; otherwise never download anything.
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ||= stub;
env.PRISMA_QUERY_ENGINE_LIBRARY ||= stub;
env.PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING = '1';
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
env.PRISMA_SKIP_POSTINSTALL_GENERATE = '1';
env.CHECKPOINT_DISABLE = '1';

const child = spawn(process.execPath, [prismaBin, 'generate', '--schema', join(root, 'prisma', 'schema.prisma')], {
  cwd: root,
  env,
  stdio: 'inherit',
});
const timer = setTimeout(() => {
  console.error(`prisma-generate: prisma generate did not finish within ${TIMEOUT_MS / 1000} s; killing it`);
  child.kill('SIGKILL');
}, TIMEOUT_MS);
child.on('exit', (code, signal) => {
  clearTimeout(timer);
  process.exit(code ?? (signal ? 1 : 0));
});
