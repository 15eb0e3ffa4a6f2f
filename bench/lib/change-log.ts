// fs:changed / fs.changed events by path: when each path was first reported 'created'.
import type { FileChange } from '../../server/contracts';
import { sleep } from './process';

/** Arrival times of 'created' changes per path, and waiting for one. */
export class ChangeLog {
  private readonly seen = new Map<string, number>();
  private readonly waiters = new Map<string, (at: number) => void>();
  batches = 0;
  changes = 0;
  lastAt = 0;

  push(changes: readonly FileChange[], at: number): void {
    this.batches++;
    this.changes += changes.length;
    this.lastAt = at;
    for (const change of changes) {
      if (change.type !== 'created' || this.seen.has(change.path)) continue;
      this.seen.set(change.path, at);
      this.waiters.get(change.path)?.(at);
    }
  }

  /** Distinct paths seen 'created' under a prefix. */
  createdUnder(prefix: string): number {
    let n = 0;
    for (const path of this.seen.keys()) if (path.startsWith(prefix)) n++;
    return n;
  }

  waitFor(path: string, timeoutMs: number, what: string): Promise<number> {
    const at = this.seen.get(path);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(path);
        reject(new Error(`no 'created' ${path} (${what}) within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(path, (arrived) => {
        clearTimeout(timer);
        this.waiters.delete(path);
        resolve(arrived);
      });
    });
  }

  /** Waits until no batch arrived for `quietMs` (bounded by `timeoutMs`). */
  async settle(quietMs: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const idle = performance.now() - this.lastAt;
      if (idle >= quietMs) return;
      await sleep(quietMs - idle + 1);
    }
    throw new Error(`fs:changed did not settle within ${timeoutMs} ms`);
  }
}
