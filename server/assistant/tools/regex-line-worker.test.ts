import { describe, expect, it } from 'vitest';
import { RegexLineWorker, RegexTimeoutError } from './regex-line-worker';

describe('RegexLineWorker', () => {
  it('answers the matched line numbers of each text, lines cut at the given length', async () => {
    const worker = new RegexLineWorker('^b', 'i', 2000, 5);
    try {
      expect(await worker.matchedLines(['a\nB\r\nb', null, 'xxxxxb\nbb'])).toEqual([[1, 2], [], [1]]);
      expect(await worker.matchedLines(['c'])).toEqual([[]]);
    } finally {
      await worker.close();
    }
  });

  it('stops a catastrophically backtracking match at the budget, the event loop free meanwhile', async () => {
    const worker = new RegexLineWorker('(a|aa)+$', '', 300, 2000);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = performance.now();
    try {
      await expect(worker.matchedLines([`${'a'.repeat(100)}!`])).rejects.toBeInstanceOf(RegexTimeoutError);
    } finally {
      clearInterval(ticker);
    }
    expect(performance.now() - started).toBeLessThan(2000);
    expect(ticks).toBeGreaterThan(5);
    await expect(worker.matchedLines(['a'])).rejects.toThrow('already stopped');
  });

  it('stops when the signal aborts', async () => {
    const worker = new RegexLineWorker('(a|aa)+$', '', 60_000, 2000);
    const stop = new AbortController();
    const matching = worker.matchedLines([`${'a'.repeat(100)}!`], stop.signal);
    stop.abort();
    await expect(matching).rejects.toThrow('The turn was stopped');
  });
});
