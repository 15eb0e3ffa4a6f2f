// Keeps the embedded PostgreSQL running: when it dies (crash, OOM kill, someone's kill -9) it is
// started again on the same port, so the pool's URL stays valid, with a growing pause between
// attempts while starts keep failing (e.g. the old server's children still hold its memory).
import type { DbLog } from './log';
import type { PostgresProcess } from './postgres-process';

export interface SupervisorOptions {
  /** Starts a new server (same data folder and port); throws when it cannot. */
  start(): Promise<PostgresProcess>;
  log: DbLog;
  /** Pause before restart n (0-based); default 0.5 s doubling to 15 s. */
  backoffMs?: (attempt: number) => number;
  /** A server that ran this long resets the pause; default 60 s. */
  stableAfterMs?: number;
  /** Told after each successful restart (e.g. to count it). */
  onRestarted?: (server: PostgresProcess) => void;
}

export const defaultBackoffMs = (attempt: number): number => Math.min(15_000, 500 * 2 ** attempt);

export interface PostgresSupervisor {
  /** The server running now (a restarted one after a crash). */
  current(): PostgresProcess;
  /** Stops supervising and stops the server; idempotent. */
  stop(): Promise<void>;
}

export function supervisePostgres(first: PostgresProcess, options: SupervisorOptions): PostgresSupervisor {
  const { log } = options;
  const backoffMs = options.backoffMs ?? defaultBackoffMs;
  const stableAfterMs = options.stableAfterMs ?? 60_000;
  let server = first;
  let stopping = false;
  let wake: (() => void) | undefined;
  let starting: Promise<PostgresProcess> | undefined;
  let attempt = 0;

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const watch = async (running: PostgresProcess, startedAt: number): Promise<void> => {
    const exit = await running.crashed;
    if (stopping) return;
    if (Date.now() - startedAt >= stableAfterMs) attempt = 0;
    for (;;) {
      const delay = backoffMs(attempt++);
      log.warn({ ...exit, attempt, delayMs: delay }, 'restarting the embedded PostgreSQL');
      await pause(delay);
      if (stopping) return;
      try {
        server = await (starting = options.start());
      } catch (err) {
        if (stopping) return;
        log.error({ err, attempt }, 'embedded PostgreSQL failed to restart; trying again');
        continue;
      }
      if (stopping) {
        await server.stop();
        return;
      }
      log.info({ pid: server.pid, attempt }, 'embedded PostgreSQL restarted');
      options.onRestarted?.(server);
      void watch(server, Date.now());
      return;
    }
  };
  void watch(first, Date.now());

  let stopped: Promise<void> | undefined;
  return {
    current: () => server,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        wake?.();
        await server.stop();
        // A restart under way when we were told to stop: stop what it started too.
        await starting?.then(
          (late) => late.stop(),
          () => undefined,
        );
      })()),
  };
}
