// Picks folders the postgres user can reach. A repo under a 0700 root-owned folder
// (e.g. /root) is unreachable for it, so we fall back to /var/lib/berth/<hash>.
import { createHash } from 'node:crypto';
import { chown, cp, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { canExecute, canUseDir, type RunAs } from './run-as';
import { nativeRoot, type PostgresBinaries } from './postgres-binaries';
import type { DbLog } from './log';

const FALLBACK_ROOT = '/var/lib/berth';

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

async function chownTree(path: string, runAs: RunAs): Promise<void> {
  await chown(path, runAs.uid, runAs.gid);
  const s = await stat(path);
  if (!s.isDirectory()) return;
  for (const entry of await readdir(path)) await chownTree(join(path, entry), runAs);
}

async function ownDir(dir: string, runAs: RunAs): Promise<void> {
  await mkdir(dir, { recursive: true });
  const s = await stat(dir);
  // A cluster copied or restored by root has root-owned files inside: hand all of it over.
  if (s.uid !== runAs.uid) await chownTree(dir, runAs);
}

/** Creates the data folder and returns the folder PostgreSQL should actually use. */
export async function prepareDataDir(requested: string, runAs: RunAs | undefined, log: DbLog): Promise<string> {
  const dir = resolve(requested);
  if (!runAs) {
    await mkdir(dir, { recursive: true });
    return dir;
  }
  await ownDir(dir, runAs);
  if (canUseDir(runAs, dir)) return dir;

  const fallback = join(FALLBACK_ROOT, shortHash(dir), 'postgres');
  log.warn(
    { requested: dir, dataDir: fallback },
    'the postgres user cannot reach the requested data folder (a parent folder is private to root); using a fallback folder',
  );
  await mkdir(FALLBACK_ROOT, { recursive: true, mode: 0o755 });
  await ownDir(fallback, runAs);
  if (!canUseDir(runAs, fallback)) throw new Error(`The postgres user cannot use ${fallback} either`);
  return fallback;
}

/** Returns binaries `runAs` can execute, copying them out of an unreachable node_modules once. */
export async function reachableBinaries(
  binaries: PostgresBinaries,
  runAs: RunAs | undefined,
  log: DbLog,
): Promise<PostgresBinaries> {
  if (!runAs || canExecute(runAs, binaries.postgres)) return binaries;
  const source = nativeRoot(binaries);
  const s = await stat(binaries.postgres);
  const target = join(FALLBACK_ROOT, `postgres-${shortHash(`${source}:${s.size}:${s.mtimeMs}`)}`);
  const copy = { initdb: join(target, 'bin', 'initdb'), postgres: join(target, 'bin', 'postgres') };
  if (!canExecute(runAs, copy.postgres)) {
    log.warn(
      { from: source, to: target },
      'the postgres user cannot reach node_modules; copying the PostgreSQL binaries',
    );
    await mkdir(FALLBACK_ROOT, { recursive: true, mode: 0o755 });
    const tmp = `${target}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await cp(source, tmp, { recursive: true, verbatimSymlinks: true });
    await rm(target, { recursive: true, force: true });
    await rename(tmp, target);
    if (!canExecute(runAs, copy.postgres)) throw new Error(`The postgres user cannot execute ${copy.postgres}`);
  }
  return copy;
}
