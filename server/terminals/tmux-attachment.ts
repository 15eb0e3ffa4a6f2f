// The exec of `tmux attach` as the terminal's ExecSession. When the attach client ends, its
// own exit code says nothing about the shell: ask tmux what happened (session still there, or
// the shell's recorded exit code) and report that instead.
import type { Disposer } from '../core/typed-emitter';
import type { ExecSession } from '../runtime';

export class TmuxAttachment implements ExecSession {
  private readonly exitListeners = new Set<(code: number | null) => void>();
  private closed = false;

  constructor(
    private readonly exec: ExecSession,
    resolveExit: () => Promise<'alive' | number | null>,
  ) {
    exec.onExit(() => {
      // Asked only when someone still listens: a detach Berth asked for needs no answer.
      if (this.closed || this.exitListeners.size === 0) return;
      // A session that is still alive lost this client (another one took it over): the
      // terminal here has ended; a restart attaches again.
      void resolveExit()
        .catch(() => null)
        .then((status) => {
          const code = status === 'alive' ? null : status;
          for (const listener of [...this.exitListeners]) listener(code);
          this.exitListeners.clear();
        });
    });
  }

  write(data: string | Buffer): void {
    this.exec.write(data);
  }

  onData(listener: (chunk: Buffer) => void): Disposer {
    return this.exec.onData(listener);
  }

  onExit(listener: (code: number | null) => void): Disposer {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  resize(cols: number, rows: number): Promise<void> {
    return this.exec.resize(cols, rows);
  }

  pause(): void {
    this.exec.pause();
  }

  resume(): void {
    this.exec.resume();
  }

  /** Detaches: the tmux session (and its shell) keeps running. */
  close(): void {
    this.closed = true;
    this.exec.close();
  }
}
