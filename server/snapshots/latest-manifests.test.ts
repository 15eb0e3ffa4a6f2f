import { describe, expect, it } from 'vitest';
import { LatestManifests } from './latest-manifests';
import type { ManifestEntry } from './snapshot-store';

const entry = (path: string): ManifestEntry => ({ path, mode: 0o100644, size: 1, sha256: 'a'.repeat(64) });

describe('LatestManifests', () => {
  it('answers only for the snapshot it keeps for the project, with a copy the caller cannot change', () => {
    const kept = new LatestManifests();
    const files = [entry('a.ts'), entry('b.ts')];
    kept.set('p1', 's1', files);
    files[0]!.sha256 = 'b'.repeat(64);
    files.push(entry('c.ts'));
    expect(kept.get('p1', 's1')?.map((file) => [file.path, file.sha256[0]])).toEqual([
      ['a.ts', 'a'],
      ['b.ts', 'a'],
    ]);
    expect(kept.get('p1', 's2')).toBeUndefined();
    expect(kept.get('p2', 's1')).toBeUndefined();
    kept.set('p1', 's2', [entry('d.ts')]);
    expect(kept.get('p1', 's1')).toBeUndefined();
    expect(kept.get('p1', 's2')?.map((file) => file.path)).toEqual(['d.ts']);
  });

  it('drops the least recently used projects past its entry budget, and never keeps one larger than it', () => {
    const kept = new LatestManifests(3);
    kept.set('p1', 's1', [entry('a'), entry('b')]);
    kept.set('p2', 's2', [entry('c')]);
    kept.get('p1', 's1');
    kept.set('p3', 's3', [entry('d')]);
    expect(kept.get('p2', 's2')).toBeUndefined();
    expect(kept.get('p1', 's1')).toHaveLength(2);
    expect(kept.get('p3', 's3')).toHaveLength(1);
    kept.set('p4', 's4', [entry('e'), entry('f'), entry('g'), entry('h')]);
    expect(kept.get('p4', 's4')).toBeUndefined();
    expect(kept.get('p1', 's1')).toHaveLength(2);
  });
});
