// Proxied bytes reach the metric as sums, once per period, and at once on flush.
import { describe, expect, it } from 'vitest';
import { ByteTally } from './byte-tally';

describe('ByteTally', () => {
  it('adds up chunks and hands the sums on once, after the period', async () => {
    const calls: [string, number][] = [];
    let handed!: () => void;
    const called = new Promise<void>((resolve) => (handed = resolve));
    const tally = new ByteTally((direction, bytes) => {
      calls.push([direction, bytes]);
      if (calls.length === 2) handed();
    }, 20);
    tally.count('upstream', 100);
    tally.count('downstream', 1500);
    tally.count('downstream', 1500);
    tally.count('upstream', 50);
    expect(calls).toEqual([]);
    await called;
    expect(calls).toEqual([
      ['upstream', 150],
      ['downstream', 3000],
    ]);
  });

  it('hands on what it holds at once on flush, and nothing when it holds nothing', () => {
    const calls: [string, number][] = [];
    const tally = new ByteTally((direction, bytes) => calls.push([direction, bytes]), 60_000);
    tally.flush();
    expect(calls).toEqual([]);
    tally.count('downstream', 7);
    tally.flush();
    expect(calls).toEqual([['downstream', 7]]);
  });
});
