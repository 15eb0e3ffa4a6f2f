import { describe, expect, it } from 'vitest';
import { quotaRefusal, type QuotaEntry } from './running-quota';

const entries = (list: [string, QuotaEntry][]) => new Map(list);

describe('quotaRefusal', () => {
  const mine = entries([
    ['a', { state: 'running', ownerId: 'u1', projectName: 'A' }],
    ['b', { state: 'starting', ownerId: 'u1', projectName: 'B' }],
    ['c', { state: 'stopped', ownerId: 'u1', projectName: 'C' }],
    ['d', { state: 'error', ownerId: 'u1', projectName: 'D' }],
    ['x', { state: 'running', ownerId: 'u2', projectName: 'X' }],
  ]);

  it('counts only starting and running workspaces of the same owner, never the one being started', () => {
    expect(quotaRefusal(mine, 'c', 'u1', 3)).toBeUndefined();
    expect(quotaRefusal(mine, 'a', 'u1', 2)).toBeUndefined();
    const refusal = quotaRefusal(mine, 'c', 'u1', 2);
    expect(refusal).toMatchObject({
      kind: 'rate_limited',
      code: 'quota_exceeded',
      message: 'You already have 2 workspaces running (A, B). Stop one to start this one.',
    });
  });

  it('has no limit at 0', () => {
    expect(quotaRefusal(mine, 'c', 'u1', 0)).toBeUndefined();
  });
});
