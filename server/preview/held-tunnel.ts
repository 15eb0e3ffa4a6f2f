// The tunnel a browser connection holds between its requests: kept while they go to the same
// preview and it is fresh, taken from the pool or given back to it otherwise. The connection's
// listeners are on it only while it is held.
import type { Socket } from 'node:net';
import type { TunnelPool } from './tunnel-pool';
import { TUNNEL_IDLE_MS } from './tunnel-pool';

export interface TunnelListeners {
  data(chunk: Buffer): void;
  end(): void;
  close(): void;
  error(): void;
}

export class HeldTunnel {
  socket: Socket | undefined;
  /** It came from the pool (or an earlier exchange): the app may close it as it is reused. */
  reused = false;
  private key = '';
  private idleSince = 0;

  constructor(
    private readonly pool: TunnelPool,
    private readonly listeners: TunnelListeners,
  ) {}

  /** Whether the held tunnel can carry the next request for `key`. */
  fits(key: string): boolean {
    return this.socket !== undefined && this.key === key && this.fresh();
  }

  /** Holds a pooled tunnel for `key`, if there is one. */
  takePooled(key: string): boolean {
    const pooled = this.pool.take(key);
    if (pooled) this.attach(pooled, key, true);
    return pooled !== undefined;
  }

  attach(socket: Socket, key: string, reused: boolean): void {
    this.socket = socket;
    this.key = key;
    this.reused = reused;
    socket.on('data', this.listeners.data);
    socket.on('end', this.listeners.end);
    socket.on('close', this.listeners.close);
    socket.on('error', this.listeners.error);
  }

  detach(): Socket | undefined {
    const socket = this.socket;
    if (!socket) return undefined;
    socket.off('data', this.listeners.data);
    socket.off('end', this.listeners.end);
    socket.off('close', this.listeners.close);
    socket.off('error', this.listeners.error);
    this.socket = undefined;
    return socket;
  }

  /** An answer ended: how fresh the tunnel is counts from now. */
  markIdle(): void {
    this.idleSince = performance.now();
  }

  /**
   * Between exchanges: a tunnel still fresh goes to the pool, any other is closed; so is one that
   * may not be pooled (paused until this browser reads: the next connection to take it would wait).
   */
  release(poolable: boolean): void {
    const socket = this.detach();
    if (!socket) return;
    if (poolable && this.fresh()) this.pool.give(this.key, socket);
    else socket.destroy();
  }

  private fresh(): boolean {
    return performance.now() - this.idleSince < TUNNEL_IDLE_MS;
  }
}
