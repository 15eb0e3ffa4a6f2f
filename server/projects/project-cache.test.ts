import { describe, expect, it } from 'vitest';
import type { ProjectDto } from '../contracts';
import { ProjectCache } from './project-cache';

const project = (id: string): ProjectDto => ({
  id,
  name: id,
  template: 'blank-node',
  createdAt: '',
  updatedAt: '',
  lastOpenedAt: null,
});

describe('ProjectCache', () => {
  it('answers fresh within the TTL, stale after it, nothing once deleted', () => {
    let now = 0;
    const cache = new ProjectCache({ ttlMs: 60_000, now: () => now });
    cache.set('alice', project('p1'));
    expect(cache.fresh('p1')).toMatchObject({ ownerId: 'alice' });
    now = 60_000;
    expect(cache.fresh('p1')).toBeUndefined();
    expect(cache.stale('p1')).toMatchObject({ ownerId: 'alice' });
    cache.delete('p1');
    expect(cache.stale('p1')).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest stored', () => {
    const cache = new ProjectCache({ maxEntries: 2 });
    cache.set('a', project('p1'));
    cache.set('a', project('p2'));
    cache.set('a', project('p1')); // stored again: now the newest
    cache.set('a', project('p3'));
    expect(cache.size).toBe(2);
    expect(cache.stale('p2')).toBeUndefined();
    expect(cache.stale('p1')).toBeDefined();
  });
});
