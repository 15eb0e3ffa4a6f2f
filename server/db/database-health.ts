// Watches whether PostgreSQL answers, on a connection of its own (outside the pool), so that
// queries fail fast while it does not: a server that is down refuses at once, but one that
// hangs (stopped, overloaded to death, a dead network path) would hold every request until a
// timeout. A probe (SELECT 1) goes out every `intervalMs`; the database counts as down when one
// has gone unanswered for `silenceMs` or the connection fails, and as up as soon as one answers.
// Silence rather than a per-probe deadline: a slow answer on a busy machine is still an answer.
import pg from 'pg';

export type DatabaseState = 'up' | 'down';

export interface DatabaseHealthOptions {
  /** Time between probes; default 250 ms. */
  intervalMs?: number;
  /** No answer to a probe (or to connecting) for this long marks the database down; default 1,250 ms. */
  silenceMs?: number;
  onChange?: (state: DatabaseState, cause?: unknown) => void;
}

export class DatabaseHealth {
  private current: DatabaseState = 'up';
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  /** When the unanswered probe of the current connection was sent (connecting counts); at most one. */
  private readonly pending = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private judge: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly downListeners = new Set<(cause: unknown) => void>();
  private readonly intervalMs: number;
  private readonly silenceMs: number;

  constructor(
    private readonly url: string,
    private readonly options: DatabaseHealthOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 250;
    this.silenceMs = options.silenceMs ?? 1_250;
  }

  get state(): DatabaseState {
    return this.current;
  }

  /** Calls `listener` once, the next time the database is found down; returns a disposer. */
  onceDown(listener: (cause: unknown) => void): () => void {
    this.downListeners.add(listener);
    return () => this.downListeners.delete(listener);
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs).unref();
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.judge);
    this.downListeners.clear();
    this.dropClient();
  }

  private tick(): void {
    if (this.stopped) return;
    // After the poll phase, like the judge timer below: answers waiting there count.
    setImmediate(() => this.checkSilence());
    // One probe at a time: its age is the silence (a client runs one query at a time anyway).
    if (this.pending.size === 0) void this.probe();
  }

  /** Marks the database down when the pending probe is `silenceMs` old; otherwise checks again when it will be. */
  private checkSilence(): void {
    if (this.stopped || this.pending.size === 0) return;
    const waited = performance.now() - Math.min(...this.pending);
    if (waited < this.silenceMs) {
      // Timers may fire a little early against performance.now(): look again when it is due.
      clearTimeout(this.judge);
      this.judge = setTimeout(
        () => setImmediate(() => this.checkSilence()),
        Math.ceil(this.silenceMs - waited) + 1,
      ).unref();
      return;
    }
    this.dropClient();
    this.set('down', new Error(`PostgreSQL gave no answer for ${this.silenceMs} ms`));
  }

  private async probe(): Promise<void> {
    const sentAt = performance.now();
    this.pending.add(sentAt);
    // Judge silence right when it is due, after the poll phase: an event loop that was merely
    // busy may have the answer waiting.
    clearTimeout(this.judge);
    this.judge = setTimeout(() => setImmediate(() => this.checkSilence()), this.silenceMs).unref();
    let client: pg.Client | undefined;
    try {
      client = this.client ?? (await (this.connecting ??= this.connect()));
      await client.query('SELECT 1');
      if (this.stopped || client !== this.client) return; // dropped meanwhile: this answer is too late to count
      this.pending.delete(sentAt);
      this.set('up');
    } catch (error) {
      if (this.stopped || (client && client !== this.client)) return; // a connection we dropped ourselves
      // Refused, reset, failed to authenticate: no waiting needed to know.
      this.dropClient();
      this.set('down', error);
    } finally {
      if (this.pending.size === 0) clearTimeout(this.judge);
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: this.silenceMs });
    client.on('error', () => {
      if (this.client === client) this.dropClient();
    });
    try {
      await client.connect();
      this.client = client;
      return client;
    } catch (error) {
      void client.end().catch(() => undefined);
      throw error;
    } finally {
      this.connecting = undefined;
    }
  }

  private dropClient(): void {
    const client = this.client;
    this.client = undefined;
    this.pending.clear();
    if (!client) return;
    // A hung server never answers the goodbye: destroy the socket rather than wait on end().
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    void client.end().catch(() => undefined);
  }

  private set(state: DatabaseState, cause?: unknown): void {
    if (state === 'down') {
      const listeners = [...this.downListeners];
      this.downListeners.clear();
      for (const listener of listeners) listener(cause);
    }
    if (state === this.current) return;
    this.current = state;
    this.options.onChange?.(state, cause);
  }
}
