// PostgreSQL refuses to run as root. As root we run initdb/postgres as the `postgres`
// system user (created if missing), so every path they touch must be reachable by it.
import { execFileSync, spawnSync } from 'node:child_process';
import type { DbLog } from './log';

export interface RunAs {
  uid: number;
  gid: number;
}

function lookupId(flag: '-u' | '-g', name: string): number | undefined {
  try {
    return Number.parseInt(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: 'pipe' }), 10);
  } catch {
    return undefined;
  }
}

/** Returns the uid/gid to run PostgreSQL as, or undefined when we are not root. */
export function resolveRunAs(log: DbLog): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  let uid = lookupId('-u', 'postgres');
  if (uid === undefined) {
    log.info('creating system user "postgres" to run the embedded PostgreSQL (we are root)');
    try {
      execFileSync('groupadd', ['--system', '--force', 'postgres'], { stdio: 'pipe' });
      execFileSync(
        'useradd',
        ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'],
        { stdio: 'pipe' },
      );
    } catch (err) {
      throw new Error('Running as root, and could not create a "postgres" user for the embedded PostgreSQL', {
        cause: err,
      });
    }
    uid = lookupId('-u', 'postgres');
  }
  const gid = lookupId('-g', 'postgres');
  if (uid === undefined || gid === undefined) throw new Error('Could not resolve the uid/gid of the "postgres" user');
  return { uid, gid };
}

/** True if `runAs` can list, create files in and enter `dir` (checked by really trying). */
export function canUseDir(runAs: RunAs, dir: string): boolean {
  const r = spawnSync('/bin/sh', ['-c', 'test -d "$1" && test -r "$1" && test -w "$1" && test -x "$1"', 'sh', dir], {
    uid: runAs.uid,
    gid: runAs.gid,
    stdio: 'ignore',
  });
  return r.status === 0;
}

/** True if `runAs` can execute `binary` (every parent folder must be traversable). */
export function canExecute(runAs: RunAs, binary: string): boolean {
  const r = spawnSync(binary, ['--version'], { uid: runAs.uid, gid: runAs.gid, stdio: 'ignore' });
  return r.status === 0;
}
