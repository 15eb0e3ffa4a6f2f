import { describe, expect, it } from 'vitest';
import { diffManifests } from './manifest-diff';

const entry = (path: string, sha256: string, mode = 0o100644) => ({ path, mode, size: 1, sha256 });

describe('diffManifests', () => {
  it('finds added, deleted and modified paths (content or mode), sorted', () => {
    const then = [entry('a', '1'), entry('b', '2'), entry('c', '3'), entry('run.sh', '4')];
    const now = [entry('a', '1'), entry('c', '9'), entry('d', '5'), entry('run.sh', '4', 0o100755)];
    expect(diffManifests(then, now)).toEqual([
      { path: 'b', status: 'deleted' },
      { path: 'c', status: 'modified' },
      { path: 'd', status: 'added' },
      { path: 'run.sh', status: 'modified' },
    ]);
  });

  it('is empty for identical manifests', () => {
    expect(diffManifests([entry('a', '1')], [entry('a', '1')])).toEqual([]);
  });
});
