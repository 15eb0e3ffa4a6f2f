// A bench socket's terminal output, read as the browser's xterm would: routed per terminal and
// acked batch by batch, and collected until a match (the prompt, a marker) arrives.
import type { BenchSocket } from './bench-socket';

export type AckMode = 'immediate' | 'next-tick';

/**
 * Routes terminal:output of one socket to per-terminal listeners and acks every batch, as
 * the browser does once xterm has taken it: 'immediate', or 'next-tick' (after setImmediate,
 * like a write callback that runs after parsing). Output nobody listens to is acked too.
 */
export class OutputRouter {
  private readonly listeners = new Map<string, (text: string, at: number) => void>();
  private fallback: ((terminalId: string, text: string, at: number) => void) | undefined;
  /** Characters received per terminal. */
  readonly received = new Map<string, number>();

  constructor(socket: BenchSocket, ackMode: AckMode = 'immediate') {
    socket.on('terminal:output', ({ terminalId, data }, ack) => {
      const at = performance.now();
      this.received.set(terminalId, (this.received.get(terminalId) ?? 0) + data.length);
      const listener = this.listeners.get(terminalId);
      if (listener) listener(data, at);
      else this.fallback?.(terminalId, data, at);
      if (ackMode === 'immediate') ack();
      else setImmediate(ack);
    });
  }

  listen(terminalId: string, listener: (text: string, at: number) => void): void {
    this.listeners.set(terminalId, listener);
  }

  /** Output of terminals nobody listens to yet (e.g. one whose create ack is still on its way). */
  listenOthers(listener: (terminalId: string, text: string, at: number) => void): void {
    this.fallback = listener;
  }
}

// ── Waiting for output ──────────────────────────────────────────────────────────────────

const KEEP_CHARS = 64 * 1024;

/**
 * Collects a terminal's output since the last reset() and resolves waitFor() with the
 * arrival time (performance.now()) of the chunk that completed the match.
 */
export class OutputWatch {
  private text = '';
  private waiter: { test: (text: string) => boolean; resolve: (at: number) => void } | undefined;
  private lastAt = 0;

  push(chunk: string, at: number): void {
    this.text += chunk;
    this.lastAt = at;
    if (this.text.length > 4 * KEEP_CHARS) this.text = this.text.slice(-KEEP_CHARS);
    if (this.waiter?.test(this.text)) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve(at);
    }
  }

  reset(): void {
    this.text = '';
  }

  get buffer(): string {
    return this.text;
  }

  /** Time the last chunk arrived. */
  get lastOutputAt(): number {
    return this.lastAt;
  }

  waitFor(needle: string | RegExp, timeoutMs: number, what = String(needle)): Promise<number> {
    const test =
      typeof needle === 'string' ? (text: string) => text.includes(needle) : (text: string) => needle.test(text);
    if (test(this.text)) return Promise.resolve(this.lastAt);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(
          new Error(
            `no ${what} in the terminal output within ${timeoutMs} ms; last output: ${JSON.stringify(this.text.slice(-200))}`,
          ),
        );
      }, timeoutMs);
      this.waiter = {
        test,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
    });
  }

  /** Waits until no output arrived for `quietMs` (bounded by `timeoutMs`). */
  async settle(quietMs: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const idle = performance.now() - this.lastAt;
      if (idle >= quietMs) return;
      await new Promise((resolve) => setTimeout(resolve, quietMs - idle + 1));
    }
  }
}

/** The prompt character: the workspace's PS1 ends in `\$ `, which is `$` for the user dev. */
export const PROMPT_CHAR = '$';
