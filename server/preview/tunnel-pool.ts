// Idle connections to previewed apps (tunnels, or direct: app-connection.ts) kept per (agent,
// secret, port) and handed to the next request for the same preview: the CONNECT and the
// agent's connect to the dev server happen once, not per request. An idle tunnel goes before the dev server's own keep-alive timeout would close it
// (Node's default is 5 s), and at once when its far end closes.
import type { Socket } from 'node:net';
import type { AgentTarget } from './agent-tunnel';
import { openAppConnection } from './app-connection';

/** Below Node's default keepAliveTimeout (5 s), which most dev servers keep. */
export const TUNNEL_IDLE_MS = 3000;
const MAX_IDLE_PER_KEY = 32;

interface Idle {
  socket: Socket;
  since: number;
  drop: () => void;
}

export const tunnelKey = (target: AgentTarget, port: number): string => `${target.url}\n${target.secret}\n${port}`;

export class TunnelPool {
  private readonly idle = new Map<string, Idle[]>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly open: (target: AgentTarget, port: number, key: string) => Promise<Socket> = openAppConnection,
    private readonly idleMs = TUNNEL_IDLE_MS,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.max(250, idleMs / 2));
    this.sweeper.unref();
  }

  /** An idle tunnel for (target, port) if there is a fresh one, else undefined (then `openNew`). */
  take(key: string): Socket | undefined {
    const list = this.idle.get(key);
    const now = performance.now();
    while (list && list.length > 0) {
      const entry = list.pop()!;
      entry.drop();
      if (now - entry.since < this.idleMs && !entry.socket.destroyed) {
        if (list.length === 0) this.idle.delete(key);
        return entry.socket;
      }
      entry.socket.destroy();
    }
    this.idle.delete(key);
    return undefined;
  }

  openNew(target: AgentTarget, port: number, key: string): Promise<Socket> {
    return this.open(target, port, key);
  }

  /** A tunnel between requests (its last answer complete): kept for the next one. */
  give(key: string, socket: Socket): void {
    if (socket.destroyed) return;
    let list = this.idle.get(key);
    if (!list) this.idle.set(key, (list = []));
    if (list.length >= MAX_IDLE_PER_KEY) return void socket.destroy();
    // Nothing may arrive on an idle tunnel: bytes mean a confused dev server, an end means it closed.
    const gone = () => this.remove(key, entry);
    socket.on('data', gone);
    socket.on('end', gone);
    socket.on('close', gone);
    const entry: Idle = {
      socket,
      since: performance.now(),
      drop: () => {
        socket.off('data', gone);
        socket.off('end', gone);
        socket.off('close', gone);
      },
    };
    list.push(entry);
  }

  get size(): number {
    let count = 0;
    for (const list of this.idle.values()) count += list.length;
    return count;
  }

  dispose(): void {
    clearInterval(this.sweeper);
    for (const list of this.idle.values()) for (const entry of list) entry.socket.destroy();
    this.idle.clear();
  }

  private remove(key: string, entry: Idle): void {
    entry.drop();
    entry.socket.destroy();
    const list = this.idle.get(key);
    const at = list?.indexOf(entry) ?? -1;
    if (list && at >= 0) list.splice(at, 1);
    if (list?.length === 0) this.idle.delete(key);
  }

  private sweep(): void {
    const now = performance.now();
    for (const [key, list] of this.idle)
      for (const entry of [...list]) if (now - entry.since >= this.idleMs) this.remove(key, entry);
  }
}
