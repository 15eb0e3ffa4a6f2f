import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FileLockDto } from '../contracts';
import { LockService, normalizePath } from './lock-service';

const alice = { id: 'socket:a', name: 'Alice' };
const bob = { id: 'socket:b', name: 'Bob' };

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

let service: LockService;
afterEach(() => {
  service?.dispose();
  vi.useRealTimers();
});

describe('LockService', () => {
  it('lets the holder write and refuses everyone else with 423 until released', () => {
    service = new LockService();
    service.lock('p', 'src/app.ts', alice, 60);
    expect(() => service.assertWritable('p', 'src/app.ts', alice.id)).not.toThrow();
    expect(() => service.assertWritable('p', 'src/app.ts', bob.id)).toThrow(
      expect.objectContaining({ kind: 'locked', code: 'locked' }),
    );
    expect(() => service.assertWritable('p', 'src/app.ts', undefined)).toThrow(/locked by Alice/);
    expect(() => service.assertWritable('p', 'src/other.ts', bob.id)).not.toThrow();
    expect(() => service.assertWritable('other-project', 'src/app.ts', bob.id)).not.toThrow();
    service.unlock('p', 'src/app.ts', alice.id);
    expect(() => service.assertWritable('p', 'src/app.ts', bob.id)).not.toThrow();
  });

  it('covers everything under a locked folder, and a folder holding a locked file', () => {
    service = new LockService();
    service.lock('p', 'src/', alice, 60);
    expect(() => service.assertWritable('p', 'src/deep/file.ts', bob.id)).toThrow(
      expect.objectContaining({ kind: 'locked' }),
    );
    expect(() => service.assertWritable('p', 'src', bob.id)).toThrow(expect.objectContaining({ kind: 'locked' }));
    expect(() => service.assertWritable('p', 'srcx/file.ts', bob.id)).not.toThrow(); // a sibling with a common prefix
    expect(() => service.assertWritable('p', 'src/deep/file.ts', alice.id)).not.toThrow();
    // Deleting or moving a folder that holds a locked file is refused too.
    service.lock('p', 'lib/a/b.ts', bob, 60);
    expect(() => service.assertWritable('p', 'lib', alice.id)).toThrow(/locked by Bob/);
    // The root lock covers the whole project.
    service.lock('q', '', alice, 60);
    expect(() => service.assertWritable('q', 'anything/at/all', bob.id)).toThrow(
      expect.objectContaining({ kind: 'locked' }),
    );
  });

  it("refuses an overlapping lock by another holder and renews the holder's own", () => {
    const time = clock();
    service = new LockService({ now: time.now });
    service.lock('p', 'src', alice, 60);
    expect(() => service.lock('p', 'src/x.ts', bob, 60)).toThrow(expect.objectContaining({ kind: 'locked' }));
    expect(() => service.unlock('p', 'src', bob.id)).toThrow(expect.objectContaining({ kind: 'locked' }));
    time.advance(30_000);
    const renewed = service.lock('p', 'src', alice, 60);
    expect(Date.parse(renewed.expiresAt)).toBe(time.now() + 60_000);
    expect(service.list('p')).toHaveLength(1);
  });

  it('forgets expired locks (lazily, with an injected clock)', () => {
    const time = clock();
    service = new LockService({ now: time.now });
    service.lock('p', 'a.txt', alice, 10);
    time.advance(9_999);
    expect(() => service.assertWritable('p', 'a.txt', bob.id)).toThrow();
    time.advance(1);
    expect(() => service.assertWritable('p', 'a.txt', bob.id)).not.toThrow();
    expect(service.list('p')).toEqual([]);
  });

  it('pushes the lock list when a lock expires, without anyone asking', () => {
    vi.useFakeTimers();
    service = new LockService();
    const pushes: FileLockDto[][] = [];
    service.events.on('onDidChange', ({ locks }) => pushes.push(locks));
    service.lock('p', 'a.txt', alice, 5);
    service.lock('p', 'b.txt', alice, 10);
    expect(pushes.at(-1)).toHaveLength(2);
    vi.advanceTimersByTime(5_100);
    expect(pushes.at(-1)?.map((lock) => lock.path)).toEqual(['b.txt']);
    vi.advanceTimersByTime(5_000);
    expect(pushes.at(-1)).toEqual([]);
  });

  it('releases every lock of a holder that went away', () => {
    service = new LockService();
    const pushes: string[] = [];
    service.events.on('onDidChange', ({ projectId }) => pushes.push(projectId));
    service.lock('p', 'a', alice, 60);
    service.lock('q', 'b', alice, 60);
    service.lock('q', 'c', bob, 60);
    service.releaseHolder(alice.id);
    expect(service.list('p')).toEqual([]);
    expect(service.list('q').map((lock) => lock.holder)).toEqual(['Bob']);
    expect(pushes.slice(-2).sort()).toEqual(['p', 'q']);
  });

  it('normalizes paths so a/./b/ and a/b are one lock', () => {
    expect(normalizePath('a//b/./c/')).toBe('a/b/c');
    expect(normalizePath('.')).toBe('');
    service = new LockService();
    service.lock('p', 'a/./b/', alice, 60);
    expect(() => service.assertWritable('p', 'a/b', bob.id)).toThrow();
  });
});
