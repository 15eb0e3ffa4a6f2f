// Spawning servers for a bench, waiting for them to answer, and stopping them for sure.
// Children run in their own process group so a stuck one can be killed with all it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { onExitSync, type Defer } from './cleanup';

export interface Spawned {
  child: ChildProcess;
  pid: number;
  /** Last lines the child printed (stdout and stderr), for error messages. */
  output(): string;
  /** Resolves with the exit code/signal; already resolved if it has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  /** Sends `signal` to the child only, waits for exit; SIGKILLs its group after `timeoutMs`. Idempotent. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // group already gone
  }
}

export function spawnServer(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
  defer: Defer,
): Spawned {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${command}`);
  const pid = child.pid;
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      lines.push(`spawn error: ${error.message}`);
      done = true;
      resolve({ code: null, signal: null });
    });
  });
  const removeExitHook = onExitSync(() => killGroup(pid, 'SIGKILL'));

  let stopping: Promise<void> | undefined;
  const stop = (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000) =>
    (stopping ??= (async () => {
      if (!done) {
        child.kill(signal);
        const timedOut = await Promise.race([exited.then(() => false), sleep(timeoutMs).then(() => true)]);
        if (timedOut) {
          console.error(
            `[bench] pid ${pid} did not exit within ${timeoutMs} ms of ${signal}; killing its process group`,
          );
          killGroup(pid, 'SIGKILL');
          await Promise.race([exited, sleep(5_000)]);
        }
      }
      // Anything left in the group (it should be empty after a clean exit).
      killGroup(pid, 'SIGKILL');
      removeExitHook();
    })());
  defer(`stop pid ${pid}`, () => stop());

  return { child, pid, output: () => lines.slice(-40).join('\n'), exited, hasExited: () => done, stop };
}

/**
 * Polls `url` every `intervalMs` until it answers 200; returns when it did.
 * Bounded by `timeoutMs`; fails early if the process exits.
 */
export async function waitForOk(
  url: string,
  server: Spawned,
  { intervalMs = 25, timeoutMs = 120_000 } = {},
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (let attempt = 0; performance.now() < deadline; attempt++) {
    const tick = performance.now();
    if (server.hasExited()) throw new Error(`server exited before ${url} answered 200:\n${server.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(Math.max(0, intervalMs - (performance.now() - tick)));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${server.output()}`);
}

/** True while `pid` runs; a zombie (exited, not yet reaped by its new parent) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The postmaster's pid from a cluster folder's postmaster.pid, if it has one. */
export function postmasterPid(pgDataDir: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(`${pgDataDir}/postmaster.pid`, 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Waits (bounded) for a postmaster to be gone; SIGKILLs it if it lingers. Returns true if it exited by itself. */
export async function ensurePostgresGone(pid: number | undefined, timeoutMs = 15_000): Promise<boolean> {
  if (pid === undefined) return true;
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(25);
  }
  console.error(
    `[bench] embedded PostgreSQL (pid ${pid}) still running ${timeoutMs} ms after the server stopped; killing it`,
  );
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
  return false;
}

/** Resident set size (VmRSS) and its peak so far (VmHWM) of a process, in MiB; NaN once it is gone. */
export function rssOf(pid: number): { rssMiB: number; hwmMiB: number } {
  let status = '';
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    // the process is gone (e.g. stopped by Ctrl-C's clean-up): NaN
  }
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
}
