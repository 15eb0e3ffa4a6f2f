import { describe, expect, it } from 'vitest';
import { KeyedLock } from './keyed-lock';

/** A promise and its resolve, to hold an operation open until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('KeyedLock', () => {
  it('runs operations on one key one after the other, even after a failure', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const first = gate();
    const started = gate();
    const a = lock.run('k', async () => {
      order.push('a start');
      started.open();
      await first.opened;
      order.push('a end');
      throw new Error('a failed');
    });
    const b = lock.run('k', () => {
      order.push('b');
      return Promise.resolve('b done');
    });
    await started.opened;
    expect(order).toEqual(['a start']);
    first.open();
    await expect(a).rejects.toThrow('a failed');
    await expect(b).resolves.toBe('b done');
    expect(order).toEqual(['a start', 'a end', 'b']);
  });

  it('runs other keys at once', async () => {
    const lock = new KeyedLock();
    const held = gate();
    const a = lock.run('a', () => held.opened);
    await expect(lock.run('b', () => Promise.resolve(2))).resolves.toBe(2);
    held.open();
    await a;
    await lock.idle();
  });
});

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
};

describe('KeyedLock.single', () => {
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
