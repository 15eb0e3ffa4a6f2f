// Slows down repeated failed sign-ins per email and per client IP: after `maxFailures`
// failures inside the window, each further attempt must wait 2^(extra failures) seconds
// (capped at the window). In memory: one Berth process per deployment for now.
export interface SignInThrottleOptions {
  maxFailures: number;
  windowSeconds: number;
  now?: () => number;
  /** Upper bound on tracked keys so a spray of random emails cannot grow memory without bound. */
  maxKeys?: number;
}

interface FailureRecord {
  failures: number;
  firstAt: number;
  lastAt: number;
}

export class SignInThrottle {
  private readonly records = new Map<string, FailureRecord>();
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(private readonly options: SignInThrottleOptions) {
    this.now = options.now ?? Date.now;
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  /** Seconds the caller must still wait before trying these keys again (0 = go ahead). */
  retryAfterSeconds(keys: readonly string[]): number {
    let wait = 0;
    for (const key of keys) wait = Math.max(wait, this.waitFor(key));
    return Math.ceil(wait / 1000);
  }

  recordFailure(keys: readonly string[]): void {
    const now = this.now();
    for (const key of keys) {
      const record = this.current(key, now);
      if (record) {
        record.failures += 1;
        record.lastAt = now;
      } else {
        if (this.records.size >= this.maxKeys) this.prune(now);
        this.records.set(key, { failures: 1, firstAt: now, lastAt: now });
      }
    }
  }

  recordSuccess(keys: readonly string[]): void {
    for (const key of keys) this.records.delete(key);
  }

  private waitFor(key: string): number {
    const now = this.now();
    const record = this.current(key, now);
    if (!record || record.failures < this.options.maxFailures) return 0;
    const extra = record.failures - this.options.maxFailures;
    const delay = Math.min(2 ** extra * 1000, this.options.windowSeconds * 1000);
    return Math.max(0, record.lastAt + delay - now);
  }

  private current(key: string, now: number): FailureRecord | undefined {
    const record = this.records.get(key);
    if (record && now - record.lastAt > this.options.windowSeconds * 1000) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }

  private prune(now: number): void {
    for (const [key, record] of this.records) {
      if (now - record.lastAt > this.options.windowSeconds * 1000) this.records.delete(key);
    }
    // Still full: drop the oldest entries (Map keeps insertion order).
    for (const key of this.records.keys()) {
      if (this.records.size < this.maxKeys) break;
      this.records.delete(key);
    }
  }
}
