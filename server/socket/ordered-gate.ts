// Runs a socket's event checks in arrival order. Most checks answer at once (a cached session);
// one that must ask the database makes the events behind it wait for it instead of overtaking it
// — keystrokes (terminal:input) must reach the shell in the order they were typed.
export class OrderedGate {
  private tail: Promise<void> | null = null;

  /** Runs `step` now when nothing is pending, else once everything before it has finished. */
  run(step: () => void | Promise<void>): void {
    if (!this.tail) {
      const pending = step();
      if (pending) this.track(pending);
      return;
    }
    this.track(this.tail.then(step));
  }

  private track(pending: Promise<void>): void {
    const tail: Promise<void> = pending
      .catch(() => undefined)
      .then(() => {
        if (this.tail === tail) this.tail = null;
      });
    this.tail = tail;
  }
}
