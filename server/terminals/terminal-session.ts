// One terminal: a login shell in the workspace, its scrollback, and the browsers attached to
// it. Output after a quiet spell goes out at once, in the same turn it arrived (keystroke
// echo); while it keeps coming it is batched (one message per few milliseconds, not per chunk). It flows with
// backpressure: each browser acks every batch; a browser that lags gets its own bounded queue
// (viewer-stream.ts), and the shell's stream is paused only while every browser lags, so a
// flood (`yes`) is throttled at the source by the fastest viewer instead of growing memory,
// and one stalled viewer slows nobody else. A browser that stops acking is dropped.
import { randomUUID } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { TerminalAttachDto, TerminalDto, TerminalState } from '../contracts';
import { DomainError } from '../core/errors';
import type { Disposer } from '../core/typed-emitter';
import type { ExecSession } from '../runtime';
import { RingBuffer } from './ring-buffer';
import { ViewerStream } from './viewer-stream';

export interface TerminalSink {
  id: string;
  /** Sends a batch; `ack` must be called once the browser has taken it. */
  send(data: string, ack: () => void): void;
  /** The sink was dropped for not keeping up. */
  dropped(): void;
}

export interface TerminalLimits {
  scrollbackChars: number;
  batchDelayMs: number;
  maxBatchChars: number;
  /** A sink with this much unacked output gets no more (it queues); when every sink is there, the shell is paused… */
  highWaterChars: number;
  /** …and resumes when one is below this. */
  lowWaterChars: number;
  /** A sink whose queue would pass this is dropped (it reattaches and gets the scrollback). */
  maxQueuedChars: number;
  /** While the shell is paused this long, the sinks still above low water are dropped. */
  stallTimeoutMs: number;
}

export const DEFAULT_TERMINAL_LIMITS: TerminalLimits = {
  scrollbackChars: 512 * 1024,
  batchDelayMs: 4,
  maxBatchChars: 64 * 1024,
  highWaterChars: 256 * 1024,
  lowWaterChars: 64 * 1024,
  // No more than the scrollback: a viewer further behind is better served by its replay.
  maxQueuedChars: 512 * 1024,
  stallTimeoutMs: 10_000,
};

/** A batch this large means bulk output is streaming: coalesce the next ones on the timer. */
const BULK_BATCH_CHARS = 1024;

/** Who a terminal is when it is adopted rather than new (after a Berth restart). */
export interface TerminalIdentity {
  id: string;
  createdAt: Date;
  /** What the terminal showed before (tmux's capture), replayed ahead of new output. */
  scrollback?: string;
}

export class TerminalSession {
  readonly id: string;
  readonly createdAt: Date;
  state: TerminalState = 'running';
  exitCode: number | null = null;
  /** When the shell ended (null while running): a terminal that ended with an earlier container is stale. */
  exitedAt: Date | null = null;
  private readonly scrollback: RingBuffer;
  private readonly sinks = new Map<string, ViewerStream>();
  private exec: ExecSession | undefined;
  private execDisposers: Disposer[] = [];
  private decoder = new StringDecoder('utf8');
  private pending = '';
  private flushTimer: { cancel(): void } | undefined;
  private lastFlushAt = 0;
  private lastFlushSize = 0;
  private paused = false;
  private stallTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly projectId: string,
    public title: string,
    private readonly hooks: { onActivity(): void; onExit(session: TerminalSession): void },
    private readonly limits: TerminalLimits = DEFAULT_TERMINAL_LIMITS,
    identity?: TerminalIdentity,
  ) {
    this.id = identity?.id ?? randomUUID();
    this.createdAt = identity?.createdAt ?? new Date();
    this.scrollback = new RingBuffer(limits.scrollbackChars);
    if (identity?.scrollback) this.scrollback.append(identity.scrollback);
  }

  /** Binds the session to a (new) shell process. */
  bind(exec: ExecSession): void {
    this.unbind();
    this.exec = exec;
    this.state = 'running';
    this.exitCode = null;
    this.exitedAt = null;
    this.decoder = new StringDecoder('utf8');
    this.execDisposers = [
      exec.onData((chunk) => this.onOutput(this.decoder.write(chunk))),
      exec.onExit((code) => this.onExit(code)),
    ];
  }

  toDto(): TerminalDto {
    return {
      id: this.id,
      projectId: this.projectId,
      title: this.title,
      state: this.state,
      exitCode: this.exitCode,
      createdAt: this.createdAt.toISOString(),
    };
  }

  attach(sink: TerminalSink): TerminalAttachDto {
    this.flush();
    this.sinks.get(sink.id)?.close();
    this.sinks.set(sink.id, new ViewerStream(sink, this.limits, () => this.updateFlow()));
    return { ...this.toDto(), scrollback: this.scrollback.toString() };
  }

  detach(sinkId: string): void {
    this.sinks.get(sinkId)?.close();
    this.sinks.delete(sinkId);
    this.updateFlow();
  }

  isAttached(sinkId: string): boolean {
    return this.sinks.has(sinkId);
  }

  /** Refused once the shell has ended: the browser says those keys went nowhere (not silently dropped). */
  write(data: string): void {
    if (this.state !== 'running' || !this.exec) {
      throw new DomainError('conflict', 'terminal_not_running', 'The shell has ended; restart the terminal');
    }
    this.hooks.onActivity();
    this.exec.write(data);
  }

  async resize(cols: number, rows: number): Promise<void> {
    if (this.state === 'running') await this.exec?.resize(cols, rows);
  }

  /** Detaches from the shell (a tmux session lives on unless killed) and forgets every sink. */
  dispose(): void {
    this.flush();
    this.exec?.close();
    this.unbind();
    for (const viewer of this.sinks.values()) viewer.close();
    this.sinks.clear();
    this.cancelFlush();
    clearTimeout(this.stallTimer);
  }

  get attachedCount(): number {
    return this.sinks.size;
  }

  private unbind(): void {
    for (const dispose of this.execDisposers) dispose();
    this.execDisposers = [];
    this.paused = false;
  }

  private cancelFlush(): void {
    this.flushTimer?.cancel();
    this.flushTimer = undefined;
  }

  private onOutput(text: string): void {
    if (!text) return;
    this.hooks.onActivity();
    this.pending += text;
    if (this.pending.length >= this.limits.maxBatchChars) this.flush();
    else if (!this.flushTimer) {
      // While bulk output keeps coming (the last batch was big and recent), wait and send one
      // batch. Otherwise (a keystroke's echo) it goes out now — not a turn of the event loop
      // later — and what else arrives in this same turn joins one batch at the turn's end.
      const streaming =
        performance.now() - this.lastFlushAt < this.limits.batchDelayMs && this.lastFlushSize >= BULK_BATCH_CHARS;
      if (streaming) {
        const timer = setTimeout(() => this.flush(), this.limits.batchDelayMs);
        this.flushTimer = { cancel: () => clearTimeout(timer) };
      } else {
        this.flush();
        const immediate = setImmediate(() => this.flush());
        this.flushTimer = { cancel: () => clearImmediate(immediate) };
      }
    }
  }

  private flush(): void {
    this.cancelFlush();
    if (!this.pending) return;
    this.lastFlushAt = performance.now();
    this.lastFlushSize = this.pending.length;
    const batch = this.pending;
    this.pending = '';
    this.scrollback.append(batch);
    for (const [id, viewer] of this.sinks) {
      if (!viewer.push(batch)) this.drop(id, viewer);
    }
    this.updateFlow();
  }

  /**
   * Pauses the shell's output while every sink is over high water (even the fastest browser
   * lags); resumes once one is below low water. A sink lagging alone just queues.
   */
  private updateFlow(): void {
    if (!this.exec) return;
    const lags = [...this.sinks.values()].map((viewer) => viewer.lag);
    const fastest = lags.length ? Math.min(...lags) : 0;
    if (!this.paused && fastest >= this.limits.highWaterChars) {
      this.paused = true;
      this.exec.pause();
      this.stallTimer = setTimeout(() => this.dropStalledSinks(), this.limits.stallTimeoutMs);
    } else if (this.paused && fastest <= this.limits.lowWaterChars) {
      this.paused = false;
      clearTimeout(this.stallTimer);
      this.exec.resume();
    }
  }

  private dropStalledSinks(): void {
    for (const [id, viewer] of this.sinks) {
      if (viewer.lag > this.limits.lowWaterChars) this.drop(id, viewer);
    }
    this.updateFlow();
  }

  private drop(id: string, viewer: ViewerStream): void {
    this.sinks.delete(id);
    viewer.close();
    viewer.sink.dropped();
  }

  private onExit(code: number | null): void {
    this.pending += this.decoder.end();
    this.flush();
    this.state = 'exited';
    this.exitCode = code;
    this.exitedAt = new Date();
    this.unbind();
    this.exec = undefined;
    this.hooks.onExit(this);
  }
}
