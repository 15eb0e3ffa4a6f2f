import { describe, expect, it } from 'vitest';
import { idleInfo, isIdle } from './idle-policy';

const minute = 60_000;

describe('idle policy', () => {
  it('is never idle while a tab is open, however quiet', () => {
    const activity = { clients: new Map([['socket-1', 1]]), lastActivityAt: 0 };
    expect(isIdle(activity, 30, 10 * 60 * minute)).toBe(false);
    expect(idleInfo(activity, 30, 10 * 60 * minute)).toEqual({
      keptUpBy: ['1 open tab'],
      stopsAt: null,
      idleMinutes: 30,
    });
  });

  it('becomes idle exactly the idle period after the last activity when no tab is open', () => {
    const activity = { clients: new Map<string, number>(), lastActivityAt: 1_000_000 };
    expect(isIdle(activity, 30, 1_000_000 + 30 * minute - 1)).toBe(false);
    expect(isIdle(activity, 30, 1_000_000 + 30 * minute)).toBe(true);
    expect(idleInfo(activity, 30, 1_000_000 + 5 * minute).stopsAt).toBe(
      new Date(1_000_000 + 30 * minute).toISOString(),
    );
  });

  it('says when recent activity is what keeps it up', () => {
    const activity = { clients: new Map<string, number>(), lastActivityAt: 1_000_000 };
    expect(idleInfo(activity, 30, 1_000_000 + 10_000).keptUpBy).toEqual(['recent terminal or preview activity']);
    expect(
      idleInfo(
        {
          clients: new Map([
            ['a', 1],
            ['b', 2],
          ]),
          lastActivityAt: 0,
        },
        30,
        0,
      ).keptUpBy,
    ).toEqual(['2 open tabs']);
  });
});
