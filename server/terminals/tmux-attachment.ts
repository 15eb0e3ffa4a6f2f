// The exec of `tmux attach` as the terminal's ExecSession. When the attach client ends, its
// own exit code says nothing about the shell: ask tmux what happened (session still there, or
// the shell's recorded exit code) and report that instead. A resize is answered once tmux
// has applied it (see waitForSizeCommand). Input typed before tmux has drawn is held and
// sent once it has: until then the tty is still in cooked mode (its line discipline would
// echo the keys and tmux's switch to raw mode can drop them) — the keys a person types into
// a terminal the moment it is back after a Berth restart.
import type { Disposer } from '../core/typed-emitter';
import { waitAtMost } from '../core/wait-at-most';
import type { ExecSession } from '../runtime';

// tmux draws within milliseconds of attaching; past this a resize goes ahead anyway.
const DRAW_TIMEOUT_MS = 5000;

export class TmuxAttachment implements ExecSession {
  private readonly exitListeners = new Set<(code: number | null) => void>();
  private closed = false;
  private size: { cols: number; rows: number };
  private markDrawn!: () => void;
  /**
   * Resolves at tmux's first output: the client is attached and handles resizes from then on
   * (one sent earlier could reach the wrapper before tmux started and be lost).
   */
  private readonly drawn = new Promise<void>((resolve) => (this.markDrawn = resolve));
  /** Input held until tmux has drawn; null once it has. */
  private heldInput: (string | Buffer)[] | null = [];

  constructor(
    private readonly exec: ExecSession,
    private readonly tmux: {
      resolveExit(): Promise<'alive' | number | null>;
      settleSize(size: { cols: number; rows: number }): Promise<void>;
      size: { cols: number; rows: number };
    },
  ) {
    this.size = tmux.size;
    void this.drawn.then(() => {
      const held = this.heldInput ?? [];
      this.heldInput = null;
      for (const data of held) this.exec.write(data);
    });
    exec.onExit(() => {
      this.markDrawn();
      // Asked only when someone still listens: a detach Berth asked for needs no answer.
      if (this.closed || this.exitListeners.size === 0) return;
      // A session that is still alive lost this client (another one took it over): the
      // terminal here has ended; a restart attaches again.
      void tmux
        .resolveExit()
        .catch(() => null)
        .then((status) => {
          const code = status === 'alive' ? null : status;
          for (const listener of [...this.exitListeners]) listener(code);
          this.exitListeners.clear();
        });
    });
  }

  write(data: string | Buffer): void {
    if (this.heldInput) this.heldInput.push(data);
    else this.exec.write(data);
  }

  onData(listener: (chunk: Buffer) => void): Disposer {
    return this.exec.onData((chunk) => {
      this.markDrawn();
      listener(chunk);
    });
  }

  onExit(listener: (code: number | null) => void): Disposer {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  async resize(cols: number, rows: number): Promise<void> {
    if (cols === this.size.cols && rows === this.size.rows) return;
    this.size = { cols, rows };
    await waitAtMost(this.drawn, DRAW_TIMEOUT_MS);
    await this.exec.resize(cols, rows);
    await this.tmux.settleSize({ cols, rows });
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
