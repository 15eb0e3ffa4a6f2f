import { describe, expect, it } from 'vitest';
import { mapAtMost } from './map-at-most';

describe('mapAtMost', () => {
  it('keeps the items’ order and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const done = mapAtMost([5, 4, 3, 2, 1], 2, async (item) => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running--;
      return item * 10;
    });
    // Release the waiting calls one by one, latest first, until all five have run.
    for (let released = 0; released < 5; released++) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.pop()!();
    }
    expect(await done).toEqual([50, 40, 30, 20, 10]);
    expect(most).toBe(2);
  });

  it('answers an empty list without calling the work', async () => {
    expect(await mapAtMost([], 4, () => Promise.reject(new Error('called')))).toEqual([]);
  });

  it('rejects with the first failure', async () => {
    await expect(
      mapAtMost([1, 2], 1, (item) => (item === 2 ? Promise.reject(new Error('two')) : Promise.resolve(item))),
    ).rejects.toThrow('two');
  });
});
