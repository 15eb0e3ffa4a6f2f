// Sends the latest of a stream of values at most once per interval: the first at once, then
// whatever is newest when the interval has passed (values in between are superseded, not
// queued). git rewrites its progress hundreds of times a second; a tab needs ~10.

export class LatestThrottle<T> {
  private lastSentAt = -Infinity;
  private pending: { value: T } | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (value: T) => void,
  ) {}

  push(value: T): void {
    this.pending = { value };
    if (this.timer) return;
    const wait = this.lastSentAt + this.intervalMs - Date.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Sends the pending value now, if any (the stream ended). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    this.lastSentAt = Date.now();
    this.send(pending.value);
  }

  /** Drops the pending value. */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = null;
  }
}
