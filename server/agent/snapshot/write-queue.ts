// Lets a restore write several small files at once while the tar parser moves on (one file at
// a time costs a thread-pool round trip per syscall). Order is kept where it matters: a write
// waits for every pending one when a pending path is the same, above or below it, and callers
// drain before anything that changes path resolution (symlinks, folders). The first failure
// is remembered and thrown by the next admit/drain.
export class WriteQueue {
  private readonly pending = new Map<string, Promise<void>>();
  /** Ancestor folders of pending paths, with how many pending paths lie under each. */
  private readonly pendingDirs = new Map<string, number>();
  private failure: { error: unknown } | undefined;
  private done = 0;

  constructor(private readonly limit: number) {}

  /** Writes that finished successfully. */
  get completed(): number {
    return this.done;
  }

  /** Waits until a write at `relative` may start; throws an earlier write's failure. */
  async admit(relative: string): Promise<void> {
    if (this.conflicts(relative)) await this.drain();
    while (this.pending.size >= this.limit) await Promise.race(this.pending.values());
    this.throwIfFailed();
  }

  start(relative: string, write: () => Promise<void>): void {
    const dirs = ancestors(relative);
    for (const dir of dirs) this.pendingDirs.set(dir, (this.pendingDirs.get(dir) ?? 0) + 1);
    const running = write().then(
      () => void this.done++,
      (error: unknown) => void (this.failure ??= { error }),
    );
    this.pending.set(
      relative,
      running.finally(() => {
        this.pending.delete(relative);
        for (const dir of dirs) {
          const left = (this.pendingDirs.get(dir) ?? 1) - 1;
          if (left === 0) this.pendingDirs.delete(dir);
          else this.pendingDirs.set(dir, left);
        }
      }),
    );
  }

  /** Waits for every pending write; throws the first failure. */
  async drain(): Promise<void> {
    await this.settle();
    this.throwIfFailed();
  }

  /** Waits for every pending write, failures included (before answering an error). */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending.values());
  }

  private conflicts(relative: string): boolean {
    return (
      this.pending.has(relative) ||
      this.pendingDirs.has(relative) ||
      ancestors(relative).some((dir) => this.pending.has(dir))
    );
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}

function ancestors(relative: string): string[] {
  const result: string[] = [];
  for (let index = relative.indexOf('/'); index !== -1; index = relative.indexOf('/', index + 1))
    result.push(relative.slice(0, index));
  return result;
}
