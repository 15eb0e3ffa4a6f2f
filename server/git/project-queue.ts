// One git mutation at a time per project (and lane). git takes .git/index.lock for anything that
// writes the index and refuses a second writer outright ("Unable to create '.../index.lock': File
// exists") instead of waiting, so two tabs staging at once would get a 409 for the loser. Berth
// runs its own mutations of a project one after another; other projects are not held up.

export class ProjectQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `task` once every task queued before it under `key` has settled; resolves with its result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    // `before` never rejects (see `tail`), so a failed task does not stop the ones after it.
    const result = before.then(() => task());
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // Forget the key once nothing is queued behind this task (the map stays small).
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
