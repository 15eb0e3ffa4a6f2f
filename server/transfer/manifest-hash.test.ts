import { describe, expect, it } from 'vitest';
import { manifestHash } from './manifest-hash';

const a = { path: 'a.txt', mode: 0o100644, sha256: '1'.repeat(64) };
const b = { path: 'src/b.txt', mode: 0o100755, sha256: '2'.repeat(64) };

describe('manifestHash', () => {
  it('does not depend on the order of the entries', () => {
    expect(manifestHash([a, b])).toBe(manifestHash([b, a]));
  });

  it('changes with a path, a mode or a content', () => {
    const base = manifestHash([a, b]);
    expect(manifestHash([a, { ...b, path: 'src/c.txt' }])).not.toBe(base);
    expect(manifestHash([a, { ...b, mode: 0o100644 }])).not.toBe(base);
    expect(manifestHash([a, { ...b, sha256: '3'.repeat(64) }])).not.toBe(base);
    expect(manifestHash([a])).not.toBe(base);
  });

  it('is the sha256 of nothing for an empty project', () => {
    expect(manifestHash([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
