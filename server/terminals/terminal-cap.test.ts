import { describe, expect, it } from 'vitest';
import { countTowardCap, isStale, planNewTerminal } from './terminal-cap';

const start = '2026-01-01T10:00:00.000Z';
const running = (minute: number) => ({
  state: 'running' as const,
  exitedAt: null,
  createdAt: new Date(`2026-01-01T09:${String(minute).padStart(2, '0')}:00Z`),
});
const exited = (minute: number, at: string) => ({
  state: 'exited' as const,
  exitedAt: new Date(at),
  createdAt: new Date(`2026-01-01T09:${String(minute).padStart(2, '0')}:00Z`),
});

describe('terminal cap', () => {
  it('does not count terminals that ended before the container started', () => {
    expect(isStale(exited(1, '2026-01-01T09:59:00Z'), start)).toBe(true);
    expect(isStale(exited(1, '2026-01-01T10:01:00Z'), start)).toBe(false); // ended in this container: counts
    expect(isStale(running(1), start)).toBe(false);
    expect(isStale(exited(1, '2026-01-01T09:59:00Z'), undefined)).toBe(false); // start unknown: counts
    expect(
      countTowardCap([running(1), exited(2, '2026-01-01T09:59:00Z'), exited(3, '2026-01-01T10:01:00Z')], start),
    ).toBe(2);
  });

  it('refuses at the cap, and otherwise closes the oldest stale terminals to keep the list within it', () => {
    const stale = [
      exited(5, '2026-01-01T09:59:00Z'),
      exited(2, '2026-01-01T09:59:00Z'),
      exited(3, '2026-01-01T09:59:00Z'),
    ];
    expect(planNewTerminal([running(1), running(4), running(6)], start, 3)).toEqual({ refused: true, close: [] });
    expect(planNewTerminal([...stale, running(1)], start, 3)).toEqual({ refused: false, close: [stale[1], stale[2]] });
    expect(planNewTerminal([...stale], start, 12)).toEqual({ refused: false, close: [] });
  });
});
