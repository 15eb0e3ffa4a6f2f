// The per-user turn rate limit (AI_TURNS_PER_MINUTE): a sliding window of the turns each user
// started in the last minute. Over it, a new turn is refused with 429 rate_limited and
// Retry-After (the seconds until the oldest turn in the window leaves it), before any event.
// In memory, like the sign-in throttle: one Berth process per deployment for now.
import { DomainError } from '../../core/errors';

export const TURN_WINDOW_MS = 60_000;

export interface TurnRateLimitOptions {
  turnsPerMinute: number;
  now?: () => number;
  /** Users tracked at most; past it the idle ones are forgotten first. */
  maxUsers?: number;
}

export const turnsRateLimited = (retryAfterSeconds: number, perMinute: number) =>
  new DomainError(
    'rate_limited',
    'rate_limited',
    `At most ${perMinute} assistant turns a minute; try again in ${retryAfterSeconds} s`,
    { retryAfterSeconds },
    retryAfterSeconds,
  );

export class TurnRateLimit {
  private readonly starts = new Map<string, number[]>();
  private readonly now: () => number;
  private readonly maxUsers: number;

  constructor(private readonly options: TurnRateLimitOptions) {
    this.now = options.now ?? Date.now;
    this.maxUsers = options.maxUsers ?? 100_000;
  }

  /** Whether a turn of `userId` would be counted now (counts nothing). */
  allows(userId: string): boolean {
    return this.recent(userId, this.now()).length < this.options.turnsPerMinute;
  }

  /** Counts a turn for `userId`, or throws 429 rate_limited when the window is full (nothing counted). */
  take(userId: string): void {
    const now = this.now();
    const recent = this.recent(userId, now);
    if (recent.length >= this.options.turnsPerMinute) {
      const wait = Math.max(1, Math.ceil((recent[0]! + TURN_WINDOW_MS - now) / 1000));
      throw turnsRateLimited(wait, this.options.turnsPerMinute);
    }
    if (!this.starts.has(userId) && this.starts.size >= this.maxUsers) this.prune(now);
    recent.push(now);
    this.starts.set(userId, recent);
  }

  private recent(userId: string, now: number): number[] {
    const kept = (this.starts.get(userId) ?? []).filter((at) => now - at < TURN_WINDOW_MS);
    if (kept.length) this.starts.set(userId, kept);
    else this.starts.delete(userId);
    return kept;
  }

  private prune(now: number): void {
    for (const userId of [...this.starts.keys()]) this.recent(userId, now);
    for (const userId of this.starts.keys()) {
      if (this.starts.size < this.maxUsers) break;
      this.starts.delete(userId);
    }
  }
}
