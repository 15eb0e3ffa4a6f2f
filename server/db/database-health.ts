// Watches whether PostgreSQL answers, on a connection of its own (outside the pool), so that
// queries fail fast while it does not: a server that is down refuses at once, but one that
// hangs (stopped, overloaded, a dead network path) would hold every request until a timeout.
import pg from 'pg'

export type DatabaseState = 'up' | 'down'

export interface DatabaseHealthOptions {
  /** Time between probes while the database answers; default 500 ms. */
  intervalMs?: number
  /** A probe (connect + SELECT 1) slower than this marks the database down; default 750 ms. */
  timeoutMs?: number
  onChange?: (state: DatabaseState, cause?: unknown) => void
}

export class DatabaseHealth {
  private current: DatabaseState = 'up'
  private client: pg.Client | undefined
  private timer: NodeJS.Timeout | undefined
  private stopped = false
  private readonly downListeners = new Set<(cause: unknown) => void>()
  private readonly intervalMs: number
  private readonly timeoutMs: number

  constructor(
    private readonly url: string,
    private readonly options: DatabaseHealthOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 500
    this.timeoutMs = options.timeoutMs ?? 750
  }

  get state(): DatabaseState {
    return this.current
  }

  /** Calls `listener` once, the next time the database is found down; returns a disposer. */
  onceDown(listener: (cause: unknown) => void): () => void {
    this.downListeners.add(listener)
    return () => this.downListeners.delete(listener)
  }

  start(): void {
    if (this.timer || this.stopped) return
    const loop = async (): Promise<void> => {
      await this.probe()
      if (!this.stopped) this.timer = setTimeout(() => void loop(), this.intervalMs).unref()
    }
    this.timer = setTimeout(() => void loop(), this.intervalMs).unref()
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
    this.downListeners.clear()
    this.dropClient()
  }

  /** One probe; resolves to the state it found. */
  async probe(): Promise<DatabaseState> {
    const outcome = await this.withDeadline(async () => {
      this.client ??= await this.connect()
      await this.client.query('SELECT 1')
    })
    if (this.stopped) return this.current
    if (outcome.ok) this.set('up')
    else {
      this.dropClient()
      this.set('down', outcome.error)
    }
    return this.current
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: this.timeoutMs })
    client.on('error', () => {
      if (this.client === client) this.dropClient()
    }) // a dropped connection: the next probe reconnects
    try {
      await client.connect()
    } catch (error) {
      void client.end().catch(() => undefined)
      throw error
    }
    return client
  }

  private withDeadline(work: () => Promise<void>): Promise<{ ok: true } | { ok: false; error: unknown }> {
    return new Promise((resolve) => {
      // Decide after the poll phase: an event loop that was merely busy may have the answer waiting.
      const timer = setTimeout(() => setImmediate(() => resolve({ ok: false, error: new Error(`no answer within ${this.timeoutMs} ms`) })), this.timeoutMs)
      work().then(
        () => resolve({ ok: true }),
        (error: unknown) => resolve({ ok: false, error }),
      ).finally(() => clearTimeout(timer))
    })
  }

  private dropClient(): void {
    const client = this.client
    this.client = undefined
    // A hung server never answers the goodbye: destroy the socket rather than wait on end().
    ;(client as unknown as { connection?: { stream?: { destroy(): void } } } | undefined)?.connection?.stream?.destroy()
    void client?.end().catch(() => undefined)
  }

  private set(state: DatabaseState, cause?: unknown): void {
    if (state === 'down') {
      const listeners = [...this.downListeners]
      this.downListeners.clear()
      for (const listener of listeners) listener(cause)
    }
    if (state === this.current) return
    this.current = state
    this.options.onChange?.(state, cause)
  }
}
