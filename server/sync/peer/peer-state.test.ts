// The files' part of a stateId: names the content (any order), changes with any field.
import { describe, expect, it } from 'vitest';
import { EMPTY_STATE_ID, filesIdOf, stateIdOf } from './peer-state';

const entry = (path: string, hash = 'a') => ({ path, mode: 0o100644, size: 1, sha256: hash.repeat(64) });

describe('filesIdOf', () => {
  it('names the content whatever the order, and changes with path, mode, size or hash', () => {
    const files = [entry('b.txt'), entry('a.txt'), entry('src/a.ts', 'b')];
    const id = filesIdOf(files);
    expect(id).toMatch(/^f[0-9a-f]{32}$/);
    expect(filesIdOf([...files].reverse())).toBe(id);
    const variants = [
      [entry('b.txt'), entry('a.txt'), entry('src/b.ts', 'b')],
      [entry('b.txt'), entry('a.txt'), { ...entry('src/a.ts', 'b'), mode: 0o100755 }],
      [entry('b.txt'), entry('a.txt'), { ...entry('src/a.ts', 'b'), size: 2 }],
      [entry('b.txt'), entry('a.txt'), entry('src/a.ts', 'c')],
      [entry('b.txt'), entry('a.txt')],
    ];
    for (const variant of variants) expect(filesIdOf(variant)).not.toBe(id);
    expect(filesIdOf([])).toBe(EMPTY_STATE_ID);
  });

  it('fits the contract with the conversations part', () => {
    const id = stateIdOf(filesIdOf([entry('a')]), [{ id: 'c1', title: 'x', version: 'd'.repeat(64) }]);
    expect(id.length).toBeLessThanOrEqual(64);
    expect(stateIdOf(EMPTY_STATE_ID, [])).toBe(EMPTY_STATE_ID);
  });
});
