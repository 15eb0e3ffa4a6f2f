import { describe, expect, it } from 'vitest';
import { decodeText, isText, mergeText, TEXT_MAX_BYTES } from './text-merge';

describe('isText', () => {
  it('is valid UTF-8 without NUL bytes, up to 1 MB', () => {
    expect(isText(Buffer.from('héllo ✓\n'))).toBe(true);
    expect(isText(Buffer.alloc(0))).toBe(true);
    expect(isText(Buffer.from([0x61, 0x00, 0x62]))).toBe(false);
    expect(isText(Buffer.from([0xc3, 0x28]))).toBe(false);
    expect(isText(Buffer.alloc(TEXT_MAX_BYTES, 'a'))).toBe(true);
    expect(isText(Buffer.alloc(TEXT_MAX_BYTES + 1, 'a'))).toBe(false);
  });

  it('keeps a byte-order mark', () => {
    expect(decodeText(Buffer.from('\ufeffx'))).toBe('\ufeffx');
  });
});

describe('mergeText', () => {
  const base = 'one\ntwo\nthree\nfour\nfive\n';

  it('merges changes to different lines cleanly', () => {
    const local = 'ONE\ntwo\nthree\nfour\nfive\n';
    const remote = 'one\ntwo\nthree\nfour\nFIVE\nsix\n';
    expect(mergeText(base, local, remote)).toEqual({ content: 'ONE\ntwo\nthree\nfour\nFIVE\nsix\n', clean: true });
  });

  it('takes the one changed side, and agrees when both made the same change', () => {
    expect(mergeText(base, base, 'x\n')).toEqual({ content: 'x\n', clean: true });
    expect(mergeText(base, 'x\n', base)).toEqual({ content: 'x\n', clean: true });
    const same = 'one\nTWO\nthree\nfour\nfive\n';
    expect(mergeText(base, same, same)).toEqual({ content: same, clean: true });
  });

  it('writes markers where both changed the same lines', () => {
    const local = 'one\ntwo\nTHREE (local)\nfour\nfive\n';
    const remote = 'one\ntwo\nthree (remote)\nfour\nfive\n';
    expect(mergeText(base, local, remote)).toEqual({
      content: 'one\ntwo\n<<<<<<< local\nTHREE (local)\n=======\nthree (remote)\n>>>>>>> remote\nfour\nfive\n',
      clean: false,
    });
  });

  it('keeps CRLF line endings and writes markers with them', () => {
    const crlfBase = 'a\r\nb\r\nc\r\n';
    const merged = mergeText(crlfBase, 'a\r\nB\r\nc\r\n', 'a\r\nb\r\nC\r\n');
    expect(merged.content).toBe('a\r\n<<<<<<< local\r\nB\r\nc\r\n=======\r\nb\r\nC\r\n>>>>>>> remote\r\n');
    const clean = mergeText('1\r\n2\r\n3\r\n4\r\n5\r\n', 'x\r\n2\r\n3\r\n4\r\n5\r\n', '1\r\n2\r\n3\r\n4\r\ny\r\n');
    expect(clean).toEqual({ content: 'x\r\n2\r\n3\r\n4\r\ny\r\n', clean: true });
  });

  it('ends an unterminated last line before a marker', () => {
    const merged = mergeText('a\nb', 'a\nlocal', 'a\nremote');
    expect(merged.content).toBe('a\n<<<<<<< local\nlocal\n=======\nremote\n>>>>>>> remote\n');
    expect(merged.clean).toBe(false);
  });

  it('without a base, keeps the shared start and end and conflicts on the whole region between', () => {
    const merged = mergeText(null, 'head\nlocal 1\nlocal 2\ntail\n', 'head\nremote\ntail\n');
    expect(merged).toEqual({
      content: 'head\n<<<<<<< local\nlocal 1\nlocal 2\n=======\nremote\n>>>>>>> remote\ntail\n',
      clean: false,
    });
    expect(mergeText(null, 'same', 'same')).toEqual({ content: 'same', clean: true });
  });

  it('copes with lines named like Object.prototype members', () => {
    const merged = mergeText('constructor\n__proto__\nx', 'constructor\n__proto__\ny', 'toString\n__proto__\nx');
    expect(merged).toEqual({ content: 'toString\n__proto__\ny', clean: true });
  });

  it('merges a 1 MB source file with repeated lines (blank lines, braces) quickly', () => {
    const code = Array.from({ length: 40_000 }, (_, i) =>
      i % 10 < 2 ? '\n' : i % 10 < 4 ? '}\n' : `  statement(${i});\n`,
    );
    const base = code.join('');
    const local = ['// local header\n', ...code.slice(0, 20_000), 'local();\n', ...code.slice(20_000)].join('');
    const remote = [...code.slice(0, 13_000), 'remote();\n', ...code.slice(13_000), '// remote footer\n'].join('');
    const started = performance.now();
    const merged = mergeText(base, local, remote);
    const expected = [
      '// local header\n',
      ...code.slice(0, 13_000),
      'remote();\n',
      ...code.slice(13_000, 20_000),
      'local();\n',
      ...code.slice(20_000),
      '// remote footer\n',
    ].join('');
    expect(merged).toEqual({ content: expected, clean: true });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('gives up on a long stretch without a single unique line: one conflict, nothing lost, no long wait', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i % 50}\n`).join('');
    const started = performance.now();
    const merged = mergeText(lines, 'first\n' + lines, lines + 'last\n');
    expect(merged.clean).toBe(false);
    expect(merged.content).toBe(`<<<<<<< local\nfirst\n${lines}=======\n${lines}last\n>>>>>>> remote\n`);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
