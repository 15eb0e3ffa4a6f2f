import { describe, expect, it } from 'vitest';
import { ancestorsOf, basename, dirname, invalidName, isWithin, joinPath, movedPath } from './paths';

describe('workspace paths', () => {
  it('splits and joins', () => {
    expect(basename('src/lib/a.ts')).toBe('a.ts');
    expect(dirname('src/lib/a.ts')).toBe('src/lib');
    expect(dirname('a.ts')).toBe('');
    expect(joinPath('', 'a.ts')).toBe('a.ts');
    expect(joinPath('src', 'a.ts')).toBe('src/a.ts');
    expect(ancestorsOf('a/b/c.ts')).toEqual(['a', 'a/b']);
  });

  it('knows what lies below a folder (not a sibling with the same prefix)', () => {
    expect(isWithin('src/a.ts', 'src')).toBe(true);
    expect(isWithin('srcx/a.ts', 'src')).toBe(false);
    expect(isWithin('anything', '')).toBe(true);
    expect(movedPath('src/lib/a.ts', 'src', 'app')).toBe('app/lib/a.ts');
  });

  it('refuses names that are not one plain segment', () => {
    expect(invalidName('')).not.toBeNull();
    expect(invalidName('..')).not.toBeNull();
    expect(invalidName('ok.txt')).toBeNull();
  });
});
