import { describe, expect, it } from 'vitest';
import type { PeerConversationRef } from '../../contracts/sync';
import { planConversations, remoteCopyTitle, type ConversationPlanInput } from './conversation-plan';

const v = (n: number): string => n.toString(16).padStart(64, '0');
const ref = (id: string, version: number, title = `Chat ${id}`): PeerConversationRef => ({
  id,
  title,
  version: v(version),
});

function plan(overrides: Partial<ConversationPlanInput>) {
  let next = 0;
  return planConversations({
    base: {},
    local: [],
    remote: [],
    mode: 'both',
    strategy: 'merge',
    newId: () => `copy-${++next}`,
    ...overrides,
  });
}

describe('planConversations', () => {
  it('copies a conversation changed, added or deleted on one side', () => {
    const result = plan({
      base: { a: v(1), b: v(2), c: v(3) },
      local: [ref('a', 10), ref('b', 2), ref('c', 3), ref('new', 4)],
      remote: [ref('a', 1), ref('b', 20)],
    });
    expect(result.remotePuts).toEqual([
      { from: 'local', sourceId: 'a', id: 'a' },
      { from: 'local', sourceId: 'new', id: 'new' },
    ]);
    expect(result.localPuts).toEqual([{ from: 'remote', sourceId: 'b', id: 'b' }]);
    expect(result.localDeletes).toEqual(['c']);
    expect(result.conflicts).toEqual([]);
    expect(result.base).toEqual({ a: v(10), b: v(20), new: v(4) });
  });

  it('first sync: copies each side to the other and agrees on equal versions', () => {
    const result = plan({ base: null, local: [ref('a', 1), ref('same', 5)], remote: [ref('b', 2), ref('same', 5)] });
    expect(result.remotePuts.map((copy) => copy.id)).toEqual(['a']);
    expect(result.localPuts.map((copy) => copy.id)).toEqual(['b']);
    expect(result.base).toEqual({ a: v(1), b: v(2), same: v(5) });
  });

  it('changed on both: merge keeps both, the remote copy under a new id and "(remote)" title', () => {
    const result = plan({
      base: { a: v(1) },
      local: [ref('a', 2, 'Plan')],
      remote: [ref('a', 3, 'Plan')],
    });
    expect(result.remotePuts).toEqual([
      { from: 'local', sourceId: 'a', id: 'a' },
      { from: 'remote', sourceId: 'a', id: 'copy-1', title: 'Plan (remote)' },
    ]);
    expect(result.localPuts).toEqual([{ from: 'remote', sourceId: 'a', id: 'copy-1', title: 'Plan (remote)' }]);
    expect(result.conflicts).toEqual([
      {
        kind: 'conversation',
        path: 'a',
        title: 'Plan',
        base: v(1),
        local: v(2),
        remote: v(3),
        text: false,
        outcome: 'kept-both',
        keptAs: 'copy-1',
      },
    ]);
    expect(result.base).toEqual({ a: v(2) });
  });

  it('local, remote and ask (with a resolution overriding it)', () => {
    const input = { base: { a: v(1), b: v(1) }, local: [ref('a', 2), ref('b', 2)], remote: [ref('a', 3), ref('b', 3)] };
    const local = plan({ ...input, strategy: 'local' });
    expect(local.remotePuts.map((copy) => copy.id)).toEqual(['a', 'b']);
    expect(local.localPuts).toEqual([]);
    const remote = plan({ ...input, strategy: 'remote' });
    expect(remote.localPuts.map((copy) => copy.id)).toEqual(['a', 'b']);
    const ask = plan({ ...input, strategy: 'ask', resolutions: { b: 'remote' } });
    expect(ask.conflicts.map((c) => [c.path, c.outcome])).toEqual([
      ['a', 'unresolved'],
      ['b', 'remote'],
    ]);
    expect(ask.localPuts).toEqual([{ from: 'remote', sourceId: 'b', id: 'b' }]);
    expect(ask.base).toEqual({ a: v(1), b: v(3) });
  });

  it('deleted on one side, changed on the other: merge keeps the changed one', () => {
    const result = plan({ base: { a: v(1) }, local: [], remote: [ref('a', 2)] });
    expect(result.localPuts).toEqual([{ from: 'remote', sourceId: 'a', id: 'a' }]);
    expect(result.conflicts).toMatchObject([{ outcome: 'remote', local: null }]);
    const local = plan({ base: { a: v(1) }, local: [], remote: [ref('a', 2)], strategy: 'local' });
    expect(local.remoteDeletes).toEqual(['a']);
  });

  it('upload and download change one side only', () => {
    const input = { base: { a: v(1), b: v(1) }, local: [ref('a', 2), ref('b', 1)], remote: [ref('a', 1), ref('b', 3)] };
    const up = plan({ ...input, mode: 'upload' });
    expect(up.remotePuts.map((copy) => copy.id)).toEqual(['a']);
    expect(up.localPuts).toEqual([]);
    expect(up.base).toEqual({ a: v(2), b: v(1) });
    const down = plan({ ...input, mode: 'download' });
    expect(down.localPuts.map((copy) => copy.id)).toEqual(['b']);
    expect(down.remotePuts).toEqual([]);
  });

  it('refuses a list naming one id twice', () => {
    expect(() => plan({ remote: [ref('a', 1), ref('a', 2)] })).toThrow('listed twice');
  });
});

describe('remoteCopyTitle', () => {
  it('fits a title', () => {
    expect(remoteCopyTitle('Plan')).toBe('Plan (remote)');
    const long = remoteCopyTitle('x'.repeat(120));
    expect(long).toHaveLength(120);
    expect(long.endsWith('x (remote)')).toBe(true);
  });
});
