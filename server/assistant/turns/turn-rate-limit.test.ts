import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors';
import { TURN_WINDOW_MS, TurnRateLimit } from './turn-rate-limit';

function refusal(take: () => void): DomainError {
  try {
    take();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('TurnRateLimit', () => {
  it('allows turnsPerMinute turns a minute per user, then refuses with rate_limited and when to retry', () => {
    let now = 1_000_000;
    const limit = new TurnRateLimit({ turnsPerMinute: 3, now: () => now });
    limit.take('alice');
    now += 10_000;
    limit.take('alice');
    limit.take('alice');
    now += 5_000;
    const refused = refusal(() => limit.take('alice'));
    expect(refused).toMatchObject({ kind: 'rate_limited', code: 'rate_limited', retryAfterSeconds: 45 });
    expect(refused.details).toEqual({ retryAfterSeconds: 45 });
    // Another user has a window of their own.
    limit.take('bob');
    // A refusal is not counted: once the first turn leaves the window, one more is allowed.
    now = 1_000_000 + TURN_WINDOW_MS;
    limit.take('alice');
    expect(refusal(() => limit.take('alice')).retryAfterSeconds).toBe(10);
  });

  it('waits at least a second and forgets idle users when it tracks too many', () => {
    let now = 0;
    const limit = new TurnRateLimit({ turnsPerMinute: 1, now: () => now, maxUsers: 2 });
    limit.take('a');
    now = TURN_WINDOW_MS - 1;
    expect(refusal(() => limit.take('a')).retryAfterSeconds).toBe(1);
    limit.take('b');
    now = TURN_WINDOW_MS + 1;
    limit.take('c'); // 'a' left the window and is forgotten
    limit.take('d');
    expect(() => limit.take('d')).toThrow(DomainError);
  });

  it('tells whether a turn would be counted, counting nothing', () => {
    let now = 0;
    const limit = new TurnRateLimit({ turnsPerMinute: 2, now: () => now });
    expect(limit.allows('a')).toBe(true);
    expect(limit.allows('a')).toBe(true);
    limit.take('a');
    limit.take('a');
    expect(limit.allows('a')).toBe(false);
    expect(limit.allows('b')).toBe(true);
    now = TURN_WINDOW_MS;
    expect(limit.allows('a')).toBe(true);
  });
});
