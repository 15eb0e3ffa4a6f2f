// One browser's share of a terminal's output. Each viewer acks every batch; while a viewer holds
// high water of unacked output, new batches wait in its own queue instead of pausing the shell,
// so a stalled viewer (a frozen tab, a dead network) slows nobody else. The queue is bounded:
// past `maxQueuedChars` the viewer is too far behind to be worth catching up batch by batch —
// the session drops it, and the browser attaches again and gets the scrollback replayed.
import type { TerminalLimits, TerminalSink } from './terminal-session';

export class ViewerStream {
  private unacked = 0;
  private closed = false;
  private readonly queue: string[] = [];
  private queuedChars = 0;

  constructor(
    readonly sink: TerminalSink,
    private readonly limits: TerminalLimits,
    /** Called after each ack, once the viewer's lag has changed. */
    private readonly onDidAck: () => void,
  ) {}

  /** Output not yet taken by this browser: sent and unacked, plus queued. */
  get lag(): number {
    return this.unacked + this.queuedChars;
  }

  /** Sends the batch, or queues it while the viewer lags; false when it fell too far behind. */
  push(batch: string): boolean {
    if (this.closed) return true;
    if (this.queue.length === 0 && this.unacked < this.limits.highWaterChars) {
      this.send(batch);
      return true;
    }
    if (this.queuedChars + batch.length > this.limits.maxQueuedChars) return false;
    this.queue.push(batch);
    this.queuedChars += batch.length;
    return true;
  }

  /** Detached or dropped: nothing more is sent, late acks included. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.queuedChars = 0;
  }

  private send(batch: string): void {
    this.unacked += batch.length;
    let acked = false;
    this.sink.send(batch, () => {
      if (acked) return;
      acked = true;
      this.unacked -= batch.length;
      this.drain();
      this.onDidAck();
    });
  }

  /** Below low water again: send what waited, up to high water. */
  private drain(): void {
    if (this.closed || this.unacked > this.limits.lowWaterChars) return;
    while (this.queue.length > 0 && this.unacked < this.limits.highWaterChars) {
      const batch = this.queue.shift()!;
      this.queuedChars -= batch.length;
      this.send(batch);
    }
  }
}
