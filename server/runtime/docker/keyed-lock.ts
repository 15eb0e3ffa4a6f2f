// Serialises lifecycle operations per project inside this process (create, stop and remove
// of one workspace never interleave), and lets concurrent ensureRunning calls share one run.
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly shared = new Map<string, Promise<unknown>>();

  /** Runs fn after every earlier operation on key has settled. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.catch(() => undefined).then(fn);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Like run, but callers arriving while one is queued or running get the same promise. */
  single<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const existing = this.shared.get(key);
    if (existing) return existing as Promise<T>;
    const result = this.run(key, fn).finally(() => this.shared.delete(key));
    this.shared.set(key, result);
    return result;
  }

  /** Settles when every queued operation has. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
