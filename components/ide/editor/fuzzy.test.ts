import { describe, expect, it } from 'vitest';
import { fuzzyFilter, fuzzyMatch } from './fuzzy';

describe('fuzzy matching for quick open', () => {
  it('matches a subsequence in order, case-insensitively', () => {
    expect(fuzzyMatch('apx', 'src/App.jsx')?.positions).toEqual([4, 5, 10]);
    expect(fuzzyMatch('xpa', 'src/App.jsx')).toBeNull();
  });

  it('ranks file-name prefixes and runs above scattered matches', () => {
    const paths = ['src/components/Input.tsx', 'src/index.ts', 'docs/install-notes.md', 'index.html'];
    expect(
      fuzzyFilter('index', paths)
        .map((match) => match.path)
        .slice(0, 2),
    ).toEqual(['index.html', 'src/index.ts']);
  });

  it('an empty query lists everything', () => {
    expect(fuzzyFilter('', ['b', 'a'])).toHaveLength(2);
  });
});
