// Deals with a postmaster.pid left by an earlier run that was killed. A dead PID, or a
// PID now used by something else, makes the file stale: remove it. A live postgres on
// this folder whose launcher is gone (orphan) is shut down; one whose launcher is still
// alive belongs to another Berth process, so we refuse rather than share the folder.
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DbLog } from './log';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readProc(pid: number, file: string): Promise<string | undefined> {
  return readFile(`/proc/${pid}/${file}`, 'utf8').catch(() => undefined);
}

async function parentPid(pid: number): Promise<number | undefined> {
  const stat = await readProc(pid, 'stat');
  // Fields after the parenthesised command name: state, ppid, ...
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields ? Number(fields[1]) : undefined;
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  // Not our child, so there is no exit event to wait on: poll the PID.
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

export async function clearStalePostmaster(dataDir: string, log: DbLog): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  const content = await readFile(pidFile, 'utf8').catch(() => undefined);
  if (content === undefined) return;
  const [pidLine = '', dirLine = ''] = content.split('\n');
  const pid = Number.parseInt(pidLine, 10);

  const cmdline = Number.isInteger(pid) && pid > 0 && isAlive(pid) ? await readProc(pid, 'cmdline') : undefined;
  const isOurPostgres = cmdline?.split('\0')[0]?.endsWith('postgres') && resolve(dirLine.trim()) === resolve(dataDir);
  if (!isOurPostgres) {
    log.info({ pid: pidLine }, 'removing stale postmaster.pid left by an earlier run');
    await rm(pidFile, { force: true });
    return;
  }

  const ppid = await parentPid(pid);
  const launcher = ppid && ppid > 1 ? await readProc(ppid, 'cmdline') : undefined;
  if (launcher && /node|tsx|vitest/.test(launcher.split('\0').slice(0, 2).join(' '))) {
    throw new Error(
      `The embedded PostgreSQL data folder ${dataDir} is in use by another process (postgres pid ${pid}, ` +
        `started by pid ${ppid}). Stop it, or give this instance its own data folder or DATABASE_URL.`,
    );
  }
  log.warn({ pid }, 'stopping an orphaned embedded PostgreSQL left running by an earlier run');
  process.kill(pid, 'SIGINT');
  if (await waitForExit(pid, 15_000)) return;
  process.kill(pid, 'SIGKILL');
  await waitForExit(pid, 5_000);
}
