// The output and exit side every ExecSession shares, whatever runs the process: output is held
// (up to a limit, then the source is paused rather than dropped) until someone listens; pause()
// and resume() are real backpressure on the source; exit listeners are told exactly once, also
// when they subscribe after the end.
import type { Disposer } from '../core/typed-emitter';

// Output held while nobody listens yet; above this the source is paused.
const PENDING_LIMIT = 1024 * 1024;

export class ExecOutput {
  private readonly dataListeners = new Set<(chunk: Buffer) => void>();
  private readonly exitListeners = new Set<(code: number | null) => void>();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private userPaused = false;
  private code: number | null | undefined;
  private markExited!: () => void;
  /** Resolves once the process has ended and the exit listeners were called. */
  readonly exited = new Promise<void>((resolve) => (this.markExited = resolve));

  /** `setFlowing(false)` must stop reading the process's output; `true` read it again. */
  constructor(private readonly setFlowing: (flowing: boolean) => void) {}

  /** undefined until the process has ended; null when its exit code cannot be known. */
  get exitCode(): number | null | undefined {
    return this.code;
  }

  deliver(chunk: Buffer): void {
    if (this.dataListeners.size === 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      this.updateFlow();
      return;
    }
    for (const listener of this.dataListeners) listener(chunk);
  }

  onData(listener: (chunk: Buffer) => void): Disposer {
    this.dataListeners.add(listener);
    if (this.pending.length > 0) {
      const held = this.pending;
      this.pending = [];
      this.pendingBytes = 0;
      for (const chunk of held) listener(chunk);
    }
    this.updateFlow();
    return () => {
      this.dataListeners.delete(listener);
      this.updateFlow();
    };
  }

  onExit(listener: (code: number | null) => void): Disposer {
    if (this.code !== undefined) {
      const code = this.code;
      queueMicrotask(() => listener(code));
      return () => undefined;
    }
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  pause(): void {
    this.userPaused = true;
    this.updateFlow();
  }

  resume(): void {
    this.userPaused = false;
    this.updateFlow();
  }

  /** Records the end and tells the exit listeners; false when it had already ended. */
  finish(code: number | null): boolean {
    if (this.code !== undefined) return false;
    this.code = code;
    this.markExited();
    const listeners = [...this.exitListeners];
    this.exitListeners.clear();
    for (const listener of listeners) listener(code);
    return true;
  }

  /** Whether the process ends within `ms`. */
  async endsWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([this.exited.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private updateFlow(): void {
    const hold = this.userPaused || (this.dataListeners.size === 0 && this.pendingBytes >= PENDING_LIMIT);
    this.setFlowing(!hold);
  }
}
