// Serialises async operations per key inside this process (one workspace's create, stop and remove
// never interleave; one environment's deploy, rollback, stop and delete neither), and lets
// concurrent ensureRunning calls share one run.
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly shared = new Map<string, { result: Promise<unknown>; tail: Promise<unknown> }>();

  /** Runs fn after every earlier operation on key has settled. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.enqueue(key, fn).result;
  }

  /**
   * Like run, but a caller arriving while an earlier single() is queued or running, with
   * nothing queued after it, gets that same promise. (Behind a stop it would be stale.)
   */
  single<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const existing = this.shared.get(key);
    if (existing && this.tails.get(key) === existing.tail) return existing.result as Promise<T>;
    const entry = this.enqueue(key, fn);
    const result = entry.result.finally(() => {
      if (this.shared.get(key) === stored) this.shared.delete(key);
    });
    const stored = { result, tail: entry.tail };
    this.shared.set(key, stored);
    return result;
  }

  /** Settles when every queued operation has. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }

  private enqueue<T>(key: string, fn: () => Promise<T>): { result: Promise<T>; tail: Promise<unknown> } {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.catch(() => undefined).then(fn);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return { result, tail };
  }
}
