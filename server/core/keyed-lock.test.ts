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
