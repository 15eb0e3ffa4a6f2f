import { describe, expect, it } from 'vitest';
import type { PostgresProcess } from './postgres-process';
import { defaultBackoffMs, supervisePostgres } from './postgres-supervisor';
import { silentLog } from './test-support';

/** A server that "crashes" when told to; stop() is counted. */
function fakeServer(pid: number) {
  let crash!: () => void;
  const server = {
    pid,
    stops: 0,
    crashed: new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve) => (crash = () => resolve({ code: null, signal: 'SIGKILL' })),
    ),
    stop: async () => void server.stops++,
  };
  return { server: server as PostgresProcess & { stops: number }, crash: () => crash() };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('supervisePostgres', () => {
  it('restarts a crashed server, pausing longer while starts keep failing', async () => {
    const first = fakeServer(1);
    const second = fakeServer(2);
    const pauses: number[] = [];
    let starts = 0;
    const supervisor = supervisePostgres(first.server, {
      log: silentLog,
      backoffMs: (attempt) => (pauses.push(attempt), 1),
      start: async () => {
        starts++;
        if (starts < 3) throw new Error('shared memory still in use');
        return second.server;
      },
    });
    first.crash();
    while (supervisor.current() !== second.server) await tick();
    expect(starts).toBe(3);
    expect(pauses).toEqual([0, 1, 2]);
    await supervisor.stop();
    expect(second.server.stops).toBeGreaterThanOrEqual(1); // stop() is idempotent on real servers
  });

  it('does not restart after stop(), and stops a server started meanwhile', async () => {
    const first = fakeServer(1);
    const late = fakeServer(2);
    let release!: () => void;
    const supervisor = supervisePostgres(first.server, {
      log: silentLog,
      backoffMs: () => 0,
      start: () => new Promise((resolve) => (release = () => resolve(late.server))),
    });
    first.crash();
    while (!release) await tick();
    const stopping = supervisor.stop();
    release();
    await stopping;
    expect(late.server.stops).toBeGreaterThanOrEqual(1);
  });

  it('backs off from 0.5 s doubling to 15 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(defaultBackoffMs)).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000]);
  });
});
