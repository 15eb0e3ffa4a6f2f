// The apply's target from a difference, and the project's outside-sync entries added back.
import { describe, expect, it } from 'vitest';
import type { SyncManifestEntry } from '../../contracts';
import { countChanges, withChanges, withOutsideSync } from './peer-apply';

const entry = (path: string, hash = 'a'): SyncManifestEntry => ({
  path,
  mode: 0o100644,
  size: 1,
  sha256: hash.repeat(64),
});

describe('withChanges', () => {
  it('writes put over the files by path and removes delete', () => {
    const files = [entry('a.txt'), entry('b.txt'), entry('c.txt')];
    const target = withChanges(files, { put: [entry('b.txt', 'b'), entry('d.txt')], delete: ['c.txt', 'nope'] });
    expect(target).toEqual([entry('a.txt'), entry('b.txt', 'b'), entry('d.txt')]);
    expect(countChanges(files, target)).toBe(3);
    expect(withChanges(files, { put: [], delete: [] })).toEqual(files);
  });
});

describe('withOutsideSync', () => {
  it('adds the kept entries back', () => {
    const kept = [entry('.git/HEAD'), entry('vendor/lib/.git/config')];
    expect(withOutsideSync([entry('src/a.ts')], kept)).toEqual([entry('src/a.ts'), ...kept]);
    expect(withOutsideSync([entry('src/a.ts')], [])).toEqual([entry('src/a.ts')]);
  });

  it('refuses a target file where a kept .git needs its folder', () => {
    expect(() => withOutsideSync([entry('vendor/lib')], [entry('vendor/lib/.git/config')])).toThrow(
      /vendor\/lib would become a file/,
    );
    expect(() => withOutsideSync([entry('vendor')], [entry('vendor/lib/.git/config')])).toThrow(/vendor would/);
  });
});
