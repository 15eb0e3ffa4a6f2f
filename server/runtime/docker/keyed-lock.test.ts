import { describe, expect, it } from 'vitest';
import { KeyedLock } from './keyed-lock';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
};

describe('KeyedLock', () => {
  it('runs operations on one key in order and shares a single() in flight', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const gate = deferred();
    let ensures = 0;
    const ensure = () =>
      lock.single('p', async () => {
        ensures += 1;
        order.push(`ensure${ensures}`);
        await gate.promise;
        return ensures;
      });
    const first = ensure();
    const joined = ensure();
    expect(joined).toBe(first);
    const stop = lock.run('p', async () => void order.push('stop'));
    // Queued behind the stop: a fresh run, not the stale in-flight one.
    const after = ensure();
    expect(after).not.toBe(first);
    const other = lock.run('q', async () => void order.push('other key'));
    await other;
    gate.resolve();
    expect(await first).toBe(1);
    await stop;
    expect(await after).toBe(2);
    expect(order).toEqual(['ensure1', 'other key', 'stop', 'ensure2']);
    await lock.idle();
  });

  it('keeps going after a failed operation', async () => {
    const lock = new KeyedLock();
    await expect(lock.run('p', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await lock.run('p', async () => 'next')).toBe('next');
  });
});
