import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LatestThrottle } from './latest-throttle';

describe('LatestThrottle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first value at once, then the newest once per interval', () => {
    const sent: number[] = [];
    const throttle = new LatestThrottle<number>(100, (value) => sent.push(value));
    throttle.push(1);
    expect(sent).toEqual([1]);
    throttle.push(2);
    throttle.push(3);
    vi.advanceTimersByTime(99);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([1, 3]);
    throttle.push(4);
    vi.advanceTimersByTime(50);
    throttle.push(5);
    vi.advanceTimersByTime(50);
    expect(sent).toEqual([1, 3, 5]);
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([1, 3, 5]);
    throttle.push(6);
    expect(sent).toEqual([1, 3, 5, 6]);
  });

  it('flush sends the pending value now; dispose drops it', () => {
    const sent: string[] = [];
    const throttle = new LatestThrottle<string>(100, (value) => sent.push(value));
    throttle.push('a');
    throttle.push('b');
    throttle.flush();
    expect(sent).toEqual(['a', 'b']);
    throttle.flush();
    throttle.push('c');
    throttle.dispose();
    vi.advanceTimersByTime(500);
    expect(sent).toEqual(['a', 'b']);
  });
});
