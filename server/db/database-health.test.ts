// The health probe against servers that misbehave at the TCP level (a real PostgreSQL that
// hangs mid-connection is in database-outage.int.test.ts).
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseHealth } from './database-health';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((undo) => undo()));

/** A server that accepts connections and never says a word, like a SIGSTOPped PostgreSQL. */
async function silentServer(): Promise<number> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    sockets.forEach((socket) => socket.destroy());
    server.close();
  });
  return (server.address() as { port: number }).port;
}

async function downWithin(health: DatabaseHealth, ms: number): Promise<number> {
  const began = performance.now();
  while (health.state !== 'down') {
    if (performance.now() - began > ms) throw new Error(`still ${health.state} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now() - began;
}

describe('DatabaseHealth', () => {
  it('counts a server that accepts but never answers as down once it has been silent long enough', async () => {
    const port = await silentServer();
    const changes: string[] = [];
    const health = new DatabaseHealth(`postgresql://u:p@127.0.0.1:${port}/db`, {
      intervalMs: 50,
      silenceMs: 300,
      onChange: (state) => changes.push(state),
    });
    cleanups.push(() => health.stop());
    let told = false;
    health.onceDown(() => (told = true));
    health.start();
    const took = await downWithin(health, 1_000);
    expect(took).toBeGreaterThanOrEqual(250);
    expect(told).toBe(true);
    expect(changes).toEqual(['down']);
  });

  it('counts a refused connection as down at once', async () => {
    const port = await silentServer();
    cleanups.splice(0).forEach((undo) => undo()); // closed: the port now refuses
    const health = new DatabaseHealth(`postgresql://u:p@127.0.0.1:${port}/db`, { intervalMs: 50, silenceMs: 5_000 });
    cleanups.push(() => health.stop());
    health.start();
    expect(await downWithin(health, 1_000)).toBeLessThan(1_000);
  });
});
