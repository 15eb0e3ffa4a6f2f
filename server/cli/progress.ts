// Progress of long transfers on stderr: bytes done of total, shown once a transfer is over 1 MB
// or has taken over a second. On a terminal the line updates in place (at most 10 times a
// second); otherwise (a pipe, a log) only a final line per transfer is printed.
import { formatBytes } from '../contracts/format-bytes';
import type { SyncProgress } from '../sync/core/sync-peer';
import type { CliIo } from './cli-io';

const SHOW_BYTES = 1024 * 1024;
const SHOW_AFTER_MS = 1000;
const REDRAW_MS = 100;

export interface ProgressPrinter {
  onProgress(progress: SyncProgress): void;
  /** Ends the line in place and prints what is left to say. */
  finish(): void;
}

export function createProgress(io: CliIo, now: () => number = Date.now): ProgressPrinter {
  let current: { phase: 'upload' | 'download'; done: number; total: number; startedAt: number } | undefined;
  let drawnAt = 0;
  let drawing = false;

  const arrow = (phase: 'upload' | 'download') => (phase === 'upload' ? '↑' : '↓');
  const long = () => current !== undefined && (current.total > SHOW_BYTES || now() - current.startedAt > SHOW_AFTER_MS);

  function end(): void {
    if (!current) return;
    const { phase, total, startedAt } = current;
    if (drawing) io.errInPlace('');
    if (long()) {
      const seconds = ((now() - startedAt) / 1000).toFixed(1);
      io.err(`${arrow(phase)} ${formatBytes(total)} ${phase === 'upload' ? 'uploaded' : 'downloaded'} in ${seconds} s`);
    }
    current = undefined;
    drawing = false;
  }

  return {
    onProgress(progress) {
      if (progress.phase !== 'upload' && progress.phase !== 'download') {
        end();
        return;
      }
      if (current?.phase !== progress.phase) {
        end();
        current = { phase: progress.phase, done: 0, total: progress.total, startedAt: now() };
      }
      current.done = progress.done;
      current.total = progress.total;
      if (!io.stderrIsTTY || !long() || now() - drawnAt < REDRAW_MS) return;
      drawnAt = now();
      drawing = true;
      const percent = current.total > 0 ? Math.floor((current.done / current.total) * 100) : 100;
      io.errInPlace(
        `${arrow(current.phase)} ${formatBytes(current.done)} / ${formatBytes(current.total)} (${percent}%)`,
      );
    },
    finish: end,
  };
}
