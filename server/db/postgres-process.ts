// Runs one `postgres` server process: waits for its own "ready" log line, forwards its
// output to a callback (never to our stdout), and stops it with a fast shutdown.
import { spawn, type ChildProcess } from 'node:child_process';
import type { PostgresBinaries } from './postgres-binaries';
import type { RunAs } from './run-as';
import type { DbLog } from './log';

const READY = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 30_000;

export interface PostgresProcess {
  pid: number;
  /** Resolves when the server exits without stop() having been called (a crash, a kill). */
  crashed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Idempotent; resolves once the server has exited. */
  stop(): Promise<void>;
}

export interface SpawnPostgresOptions {
  binaries: PostgresBinaries;
  dataDir: string;
  port: number;
  runAs: RunAs | undefined;
  log: DbLog;
  onLog?: (line: string) => void;
}

/** Thrown when the port was taken between choosing it and binding it; the caller retries. */
export class PortInUseError extends Error {}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(exited(child)), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function spawnPostgres(opts: SpawnPostgresOptions): Promise<PostgresProcess> {
  const { binaries, dataDir, port, runAs, log, onLog } = opts;
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
  ];
  const child = spawn(binaries.postgres, args, {
    ...(runAs ?? {}),
    // Own process group: a Ctrl-C in the terminal reaches Berth, which then stops
    // postgres after its own graceful shutdown instead of losing the database first.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
  });

  let stopping = false;
  let ready = false;
  let onReady = (): void => {};
  const recent: string[] = [];
  const onLine = (line: string): void => {
    if (!line) return;
    recent.push(line);
    if (recent.length > 40) recent.shift();
    onLog?.(line);
    if (!ready && line.includes(READY)) {
      ready = true;
      onReady();
    } else if (ready && !stopping && /\b(WARNING|ERROR|FATAL|PANIC):/.test(line)) {
      log.warn({ postgres: line }, 'embedded PostgreSQL');
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(onLine);
    });
  }

  // Last resort if the process exits without calling stop(): don't leave postgres running.
  const killOnExit = (): void => {
    if (!exited(child)) child.kill('SIGINT');
  };
  process.on('exit', killOnExit);

  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        const text = recent.join('\n');
        if (/could not bind|Address already in use|could not create any TCP\/IP sockets/.test(text)) {
          reject(new PortInUseError(`port ${port} is in use`));
        } else {
          reject(new Error(`embedded PostgreSQL ${why}:\n${text}`));
        }
      };
      const timer = setTimeout(() => {
        child.kill('SIGQUIT');
        fail(`did not become ready within ${START_TIMEOUT_MS} ms`);
      }, START_TIMEOUT_MS);
      child.once('error', (err) => fail(`could not be started (${err.message})`));
      child.once('close', (code, signal) => fail(`exited during start-up (code ${code}, signal ${signal})`));
      onReady = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  } catch (err) {
    process.off('exit', killOnExit);
    await waitForExit(child, 5_000);
    throw err;
  }

  const crashed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      if (stopping) return;
      process.off('exit', killOnExit);
      log.error({ code, signal, output: recent.slice(-10) }, 'embedded PostgreSQL exited unexpectedly');
      resolve({ code, signal });
    });
  });
  // The server's lifetime is governed by stop() and killOnExit, not by our event loop.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();

  let stopped: Promise<void> | undefined;
  const shutdown = async (): Promise<void> => {
    stopping = true;
    process.off('exit', killOnExit);
    if (exited(child)) return;
    child.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
    if (await waitForExit(child, 10_000)) return;
    log.warn('embedded PostgreSQL did not stop within 10 s; sending SIGQUIT');
    child.kill('SIGQUIT');
    if (await waitForExit(child, 5_000)) return;
    child.kill('SIGKILL');
    await waitForExit(child, 5_000);
  };
  return {
    pid: child.pid ?? -1,
    crashed,
    stop: () => (stopped ??= shutdown()),
  };
}
