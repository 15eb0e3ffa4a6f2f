// Matches the `search` tool's regular expressions off Berth's main thread, with a time budget.
// JavaScript's engine backtracks: a pattern like (a|aa)+$ on a long line of a's runs for hours and
// cannot be interrupted from the thread running it, so it would freeze every user's requests and
// sockets. Here the lines are matched in a worker thread; past the budget the worker is terminated
// (V8 stops it even inside a match) and the search answers that the pattern took too long.
import { Worker } from 'node:worker_threads';

/** Runs inside the worker: for each text, the 0-based numbers of the lines the pattern matches. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const pattern = new RegExp(workerData.source, workerData.flags);
parentPort.on('message', ({ texts, maxLineChars }) => {
  const found = texts.map((text) => {
    if (text === null) return [];
    const lines = text.split('\\n');
    const hits = [];
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index].replace(/\\r$/, '').slice(0, maxLineChars);
      if (pattern.test(line)) hits.push(index);
    }
    return hits;
  });
  parentPort.postMessage(found);
});
`;

export class RegexTimeoutError extends Error {
  constructor(readonly budgetMs: number) {
    super(`The regular expression took over ${budgetMs / 1000} s to match`);
  }
}

export class RegexLineWorker {
  private readonly worker: Worker;
  private spentMs = 0;
  private closed = false;

  /** `source` and `flags` must already compile (checked by the caller with new RegExp). */
  constructor(
    source: string,
    flags: string,
    /** Matching time allowed in all, over every call. */
    private readonly budgetMs: number,
    private readonly maxLineChars: number,
  ) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { source, flags } });
    this.worker.unref();
  }

  /**
   * The matched line numbers of each text (null = not searched). Rejects with RegexTimeoutError
   * once the budget is spent (the worker is gone then), or when `signal` aborts.
   */
  matchedLines(texts: (string | null)[], signal?: AbortSignal): Promise<number[][]> {
    if (this.closed) return Promise.reject(new Error('The search was already stopped'));
    return new Promise<number[][]>((resolve, reject) => {
      const started = performance.now();
      const settle = (error: Error | null, found?: number[][]) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.worker.off('message', onMessage);
        this.worker.off('error', onError);
        this.spentMs += performance.now() - started;
        if (error) {
          void this.close();
          reject(error);
        } else resolve(found!);
      };
      const onMessage = (found: number[][]) => settle(null, found);
      const onError = (error: Error) => settle(error);
      const onAbort = () => settle(new Error('The turn was stopped'));
      const timer = setTimeout(
        () => settle(new RegexTimeoutError(this.budgetMs)),
        Math.max(0, this.budgetMs - this.spentMs),
      );
      this.worker.on('message', onMessage);
      this.worker.on('error', onError);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.worker.postMessage({ texts, maxLineChars: this.maxLineChars });
    });
  }

  /** Stops the worker (also mid-match). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.worker.terminate();
  }
}
