import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './signin-throttle';

function makeThrottle() {
  let clock = 1_000_000;
  const throttle = new SignInThrottle({ maxFailures: 3, windowSeconds: 60, now: () => clock });
  return { throttle, advance: (ms: number) => (clock += ms) };
}

describe('SignInThrottle', () => {
  it('lets the first failures through, then makes each attempt wait longer', () => {
    const { throttle, advance } = makeThrottle();
    const keys = ['email:a@b.c'];
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterSeconds(keys)).toBe(0);
      throttle.recordFailure(keys);
    }
    expect(throttle.retryAfterSeconds(keys)).toBe(1);
    advance(1000);
    expect(throttle.retryAfterSeconds(keys)).toBe(0);
    throttle.recordFailure(keys);
    expect(throttle.retryAfterSeconds(keys)).toBe(2);
    throttle.recordFailure(keys);
    expect(throttle.retryAfterSeconds(keys)).toBe(4);
  });

  it('caps the wait at the window and forgets after a quiet window', () => {
    const { throttle, advance } = makeThrottle();
    const keys = ['ip:1.2.3.4'];
    for (let i = 0; i < 20; i++) throttle.recordFailure(keys);
    expect(throttle.retryAfterSeconds(keys)).toBe(60);
    advance(61_000);
    expect(throttle.retryAfterSeconds(keys)).toBe(0);
  });

  it('takes the longest wait of all keys and clears on success', () => {
    const { throttle } = makeThrottle();
    for (let i = 0; i < 4; i++) throttle.recordFailure(['email:x@y.z']);
    expect(throttle.retryAfterSeconds(['email:other@y.z', 'email:x@y.z'])).toBe(2);
    throttle.recordSuccess(['email:x@y.z']);
    expect(throttle.retryAfterSeconds(['email:x@y.z'])).toBe(0);
  });

  it('never tracks more keys than its bound', () => {
    let clock = 0;
    const throttle = new SignInThrottle({ maxFailures: 1, windowSeconds: 60, now: () => clock, maxKeys: 10 });
    for (let i = 0; i < 100; i++) {
      clock += 1;
      throttle.recordFailure([`email:${i}@x.y`]);
    }
    expect((throttle as unknown as { records: Map<string, unknown> }).records.size).toBeLessThanOrEqual(10);
    expect(throttle.retryAfterSeconds(['email:99@x.y'])).toBeGreaterThan(0);
  });
});
