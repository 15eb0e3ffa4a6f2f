import { describe, expect, it } from 'vitest';
import { replaceOnce } from './write-tools';

describe('edit_file’s exact search/replace', () => {
  it('replaces a unique match and says its line', () => {
    expect(replaceOnce('a\nb\nc\n', 'b\n', 'B\nB2\n')).toEqual({ text: 'a\nB\nB2\nc\n', line: 2 });
  });

  it('takes the replacement literally ($& and $1 are text)', () => {
    expect(replaceOnce('x = 1;\n', '1', '$&$1')).toEqual({ text: 'x = $&$1;\n', line: 1 });
  });

  it('says why when the text is missing or ambiguous', () => {
    expect(replaceOnce('a\nb\n', 'c', 'd')).toBe('The `old` text was not found');
    expect(replaceOnce('a\na\nb\na\n', 'a', 'd')).toBe('The `old` text occurs 3 times (at lines 1, 2, 4)');
  });

  it('matches an LF `old` in a CRLF file and keeps the CRLF line ends', () => {
    expect(replaceOnce('one\r\ntwo\r\nthree\r\n', 'one\ntwo', 'uno\ndos')).toEqual({
      text: 'uno\r\ndos\r\nthree\r\n',
      line: 1,
    });
  });
});
