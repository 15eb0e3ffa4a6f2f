import { describe, expect, it } from 'vitest';
import type { FileEntry } from '../../contracts';
import { MENTIONED_FILES_MAX, mentionedFiles } from './mentioned-files';

const file = (path: string): FileEntry => ({
  name: path.split('/').at(-1)!,
  path,
  kind: 'file',
  size: 1,
  mtimeMs: 0,
});
const tree: FileEntry[] = [
  file('package.json'),
  file('src/App.jsx'),
  file('src/main.jsx'),
  file('src/components/Button.jsx'),
  file('test/main.jsx'),
  file('README'),
  { name: 'src', path: 'src', kind: 'dir', size: 0, mtimeMs: 0 },
];

describe('mentionedFiles', () => {
  it('finds files the request names by path, or by a name only one file has, in the order named', () => {
    expect(mentionedFiles('Make Button.jsx blue, then use it in src/App.jsx.', tree)).toEqual([
      'src/components/Button.jsx',
      'src/App.jsx',
    ]);
  });

  it('ignores a name several files share, names without an extension, folders, and parts of longer names', () => {
    expect(mentionedFiles('Fix main.jsx and the README in src', tree)).toEqual([]);
    expect(mentionedFiles('see src/App.jsx.bak and xApp.jsx and App.jsxx', tree)).toEqual([]);
    expect(mentionedFiles('compare test/main.jsx', tree)).toEqual(['test/main.jsx']);
  });

  it('leaves out attached files and keeps at most MENTIONED_FILES_MAX', () => {
    const request = 'package.json, src/App.jsx, src/main.jsx, test/main.jsx and Button.jsx';
    expect(mentionedFiles(request, tree, new Set(['src/App.jsx']))).toEqual([
      'package.json',
      'src/main.jsx',
      'test/main.jsx',
    ]);
    expect(mentionedFiles(request, tree)).toHaveLength(MENTIONED_FILES_MAX);
  });
});
