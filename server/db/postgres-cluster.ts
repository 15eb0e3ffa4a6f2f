// Creates the PostgreSQL cluster (initdb) on first run and keeps its superuser password
// beside it, so the same folder can be started again on later runs.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PostgresBinaries } from './postgres-binaries';
import type { RunAs } from './run-as';
import type { DbLog } from './log';

export const SUPERUSER = 'postgres';
const PASSWORD_FILE = 'berth-password';
// What initdb leaves behind when it is killed half-way; anything else we refuse to wipe.
const INITDB_ENTRIES = new Set([
  'base',
  'global',
  'pg_wal',
  'pg_xact',
  'pg_commit_ts',
  'pg_dynshmem',
  'pg_logical',
  'pg_multixact',
  'pg_notify',
  'pg_replslot',
  'pg_serial',
  'pg_snapshots',
  'pg_stat',
  'pg_stat_tmp',
  'pg_subtrans',
  'pg_tblspc',
  'pg_twophase',
  'postgresql.conf',
  'postgresql.auto.conf',
  'pg_hba.conf',
  'pg_ident.conf',
  'PG_VERSION',
]);

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(
    () => true,
    () => false,
  );
}

async function runInitdb(
  binaries: PostgresBinaries,
  dataDir: string,
  pwFile: string,
  runAs: RunAs | undefined,
): Promise<void> {
  const args = [
    `--pgdata=${dataDir}`,
    `--username=${SUPERUSER}`,
    `--pwfile=${pwFile}`,
    '--auth=scram-sha-256',
    '--encoding=UTF8',
    // Built-in provider: the same collation/ctype on every OS, no OS locales needed.
    '--locale-provider=builtin',
    '--builtin-locale=C.UTF-8',
    '--locale=C',
  ];
  const child = spawn(binaries.initdb, args, {
    ...(runAs ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`initdb failed (exit ${code}):\n${output.slice(-4000)}`);
}

/** Initialises `dataDir` if it holds no cluster yet; returns the superuser password. */
export async function ensureCluster(
  dataDir: string,
  binaries: PostgresBinaries,
  runAs: RunAs | undefined,
  log: DbLog,
): Promise<string> {
  const passwordPath = join(dataDir, PASSWORD_FILE);
  if (await exists(join(dataDir, 'PG_VERSION'))) {
    const password = await readFile(passwordPath, 'utf8').catch(() => undefined);
    if (!password) {
      throw new Error(
        `${dataDir} holds a PostgreSQL cluster without ${PASSWORD_FILE}; delete the folder to start afresh`,
      );
    }
    return password.trim();
  }

  const entries = await readdir(dataDir);
  if (entries.some((e) => !INITDB_ENTRIES.has(e))) {
    throw new Error(`${dataDir} is not empty and holds no PostgreSQL cluster; refusing to initialise it`);
  }
  for (const e of entries) await rm(join(dataDir, e), { recursive: true, force: true });

  log.info({ dataDir }, 'initialising embedded PostgreSQL cluster (first run)');
  const password = randomBytes(24).toString('hex');
  const tmp = await mkdtemp(join(tmpdir(), 'berth-initdb-'));
  try {
    const pwFile = join(tmp, 'pw');
    await writeFile(pwFile, `${password}\n`, { mode: 0o600 });
    if (runAs) {
      await chown(tmp, runAs.uid, runAs.gid);
      await chown(pwFile, runAs.uid, runAs.gid);
    }
    await runInitdb(binaries, dataDir, pwFile, runAs);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  // Written last: its presence together with PG_VERSION marks a complete cluster.
  await writeFile(passwordPath, `${password}\n`, { mode: 0o600 });
  return password;
}
