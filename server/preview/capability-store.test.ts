import { describe, expect, it } from 'vitest';
import { CAPABILITY_PATTERN } from '../contracts';
import { CapabilityStore } from './capability-store';

function storeWithClock(ttlMs = 60_000) {
  let now = 1_000_000;
  const store = new CapabilityStore({ ttlMs, now: () => now });
  return { store, advance: (ms: number) => (now += ms), now: () => now };
}

describe('CapabilityStore', () => {
  it('mints 128-bit lowercase hex capabilities that resolve to (project, port, owner, expiry)', () => {
    const { store, now } = storeWithClock();
    const a = store.mint('p1', 5173, 'u1');
    const b = store.mint('p1', 5173, 'u1');
    expect(a.capability).toMatch(CAPABILITY_PATTERN);
    expect(a.capability).not.toBe(b.capability);
    expect(store.resolve(a.capability)).toEqual({
      capability: a.capability,
      projectId: 'p1',
      port: 5173,
      ownerId: 'u1',
      expiresAt: now() + 60_000,
    });
    expect(store.resolve('0'.repeat(32))).toBeUndefined();
  });

  it('expires after the TTL', () => {
    const { store, advance } = storeWithClock(1000);
    const a = store.mint('p1', 3000, 'u1');
    advance(999);
    expect(store.resolve(a.capability)).toBeDefined();
    advance(1);
    expect(store.resolve(a.capability)).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('reuses a valid capability for the same owner, project and port, and mints after expiry', () => {
    const { store, advance } = storeWithClock(1000);
    const a = store.current('p1', 3000, 'u1');
    expect(store.current('p1', 3000, 'u1').capability).toBe(a.capability);
    expect(store.current('p1', 3001, 'u1').capability).not.toBe(a.capability);
    expect(store.current('p1', 3000, 'u2').capability).not.toBe(a.capability);
    advance(1000);
    const b = store.current('p1', 3000, 'u1');
    expect(b.capability).not.toBe(a.capability);
    expect(store.resolve(b.capability)).toBeDefined();
  });

  it('revoke invalidates the port and mints a fresh capability', () => {
    const { store } = storeWithClock();
    const old = store.current('p1', 3000, 'u1');
    const other = store.current('p1', 4000, 'u1');
    const fresh = store.revoke('p1', 3000, 'u1');
    expect(fresh.capability).not.toBe(old.capability);
    expect(store.resolve(old.capability)).toBeUndefined();
    expect(store.resolve(fresh.capability)).toMatchObject({ projectId: 'p1', port: 3000 });
    expect(store.resolve(other.capability)).toBeDefined();
    expect(store.current('p1', 3000, 'u1').capability).toBe(fresh.capability);
  });

  it("rotate invalidates all of a project's capabilities and no one else's", () => {
    const { store } = storeWithClock();
    const a = store.current('p1', 3000, 'u1');
    const b = store.current('p1', 5173, 'u1');
    const c = store.current('p2', 3000, 'u1');
    store.rotate('p1');
    expect(store.resolve(a.capability)).toBeUndefined();
    expect(store.resolve(b.capability)).toBeUndefined();
    expect(store.resolve(c.capability)).toBeDefined();
    expect(store.current('p1', 3000, 'u1').capability).not.toBe(a.capability);
  });
});
