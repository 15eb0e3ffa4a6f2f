import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { firstUnexportable, zipNameProblem } from './zip-export-names';
import { checkName } from './zip-paths';
import { writeZip } from './zip-writer';

const UNEXPORTABLE = [
  'a\\b.txt',
  'dir\\',
  '\\leading',
  'sub/x\\y',
  'tab\there',
  'new\nline',
  'C:evil',
  `${'é'.repeat(513)}`,
];
const EXPORTABLE = [
  'a/b.txt',
  'é/ü.txt',
  'space name.txt',
  'quote"s',
  'colon:later',
  Array(8).fill('x'.repeat(127)).join('/'),
  '日本/語.md',
];

describe('zipNameProblem', () => {
  it.each(UNEXPORTABLE)('%j cannot go into a ZIP unchanged', (path) => {
    expect(zipNameProblem(path)).toBeDefined();
  });

  it.each(EXPORTABLE)('%j can, and Berth’s own ZIP import takes it back as it was', (path) => {
    expect(zipNameProblem(path)).toBeUndefined();
    expect(checkName(path, Buffer.byteLength(path)).path).toBe(path);
  });

  it('names the first offender and counts the rest', () => {
    expect(firstUnexportable(['ok.txt', 'a\\b.txt', 'c\\d'])).toMatchObject({
      path: 'a\\b.txt',
      count: 2,
      message: expect.stringMatching(
        /^"a\\\\b.txt" \(and 1 more\) cannot be exported as a ZIP: it contains a backslash/,
      ),
    });
    expect(firstUnexportable(['ok.txt'])).toBeUndefined();
  });
});

describe('writeZip', () => {
  it('refuses a backslash name instead of writing it as a folder path', async () => {
    async function* entries() {
      yield { path: 'a\\b.txt', type: 'file' as const, mode: 0o644, open: async () => Buffer.from('x') };
    }
    const out = new PassThrough();
    out.resume();
    await expect(writeZip(entries(), out)).rejects.toThrow(/backslash/);
  });
});
