// Helpers for this module's integration tests: a private data folder the postgres user
// can enter (mkdtemp makes 0700 folders, which it cannot when we run as root).
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DbLog } from './log';

export async function makeTempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  await chmod(path, 0o755);
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export const silentLog: DbLog = { info: () => {}, warn: () => {}, error: () => {} } as unknown as DbLog;

/** The postmaster and its children (each backend leads its own process group, so -pid misses them). */
function postgresProcesses(pid: number): number[] {
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
  return [pid, ...children];
}

/**
 * Hangs (SIGSTOP) or resumes (SIGCONT) a whole embedded PostgreSQL, postmaster and every backend,
 * as a server that accepts TCP but never answers would; SIGKILL kills the postmaster alone (a crash).
 */
export function signalPostgres(pid: number, signal: 'SIGSTOP' | 'SIGCONT' | 'SIGKILL'): void {
  const targets = signal === 'SIGKILL' ? [pid] : postgresProcesses(pid);
  // Stop the postmaster first (no new backends forked meanwhile); resume it last.
  for (const target of signal === 'SIGCONT' ? targets.reverse() : targets) {
    try {
      process.kill(target, signal);
    } catch {
      // exited meanwhile
    }
  }
}
