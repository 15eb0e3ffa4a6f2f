import { describe, expect, it } from 'vitest';
import { countLines, diffLineCounts } from './line-diff';

describe('line counts for change cards', () => {
  it('counts lines as an editor does', () => {
    expect(countLines('')).toBe(0);
    expect(countLines('a')).toBe(1);
    expect(countLines('a\n')).toBe(1);
    expect(countLines('a\nb')).toBe(2);
    expect(countLines('a\n\n')).toBe(2);
  });

  it('counts added and removed lines between two texts', () => {
    expect(diffLineCounts('', 'a\nb\n')).toEqual({ added: 2, removed: 0 });
    expect(diffLineCounts('a\nb\n', '')).toEqual({ added: 0, removed: 2 });
    expect(diffLineCounts('a\nb\nc\n', 'a\nB\nc\n')).toEqual({ added: 1, removed: 1 });
    expect(diffLineCounts('a\nb\nc\nd\n', 'a\nx\nc\ny\nz\nd\n')).toEqual({ added: 3, removed: 1 });
    expect(diffLineCounts('same\n', 'same\n')).toEqual({ added: 0, removed: 0 });
  });
});
