import { describe, expect, it } from 'vitest';
import type { FileEntry } from '../../contracts';
import { walkProject } from './project-walk';

/** A folder tree as listings: folder path → its entries (folders first, then by name, as the agent gives them). */
function tree(paths: string[], heavy: string[] = []) {
  const folders = new Map<string, FileEntry[]>([['', []]]);
  const add = (path: string, kind: 'file' | 'dir') => {
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (!folders.has(parent)) add(parent, 'dir');
    const siblings = folders.get(parent)!;
    if (siblings.some((entry) => entry.path === path)) return;
    const name = path.slice(path.lastIndexOf('/') + 1);
    siblings.push({ name, path, kind, size: 0, mtimeMs: 0, ...(heavy.includes(path) ? { heavy: true } : {}) });
    siblings.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1));
    if (kind === 'dir') folders.set(path, folders.get(path) ?? []);
  };
  for (const path of paths) add(path, 'file');
  for (const folder of heavy) add(folder, 'dir');
  let running = 0;
  let most = 0;
  const calls: string[] = [];
  const list = async (folder: string) => {
    calls.push(folder);
    running++;
    most = Math.max(most, running);
    await new Promise((resolve) => setTimeout(resolve, 1));
    running--;
    const entries = folders.get(folder);
    if (!entries) throw new Error(`no folder ${folder}`);
    return entries;
  };
  return { list, calls, most: () => most };
}

const files = [
  'README.md',
  'src/App.jsx',
  'src/main.jsx',
  'src/components/Button.jsx',
  'src/components/icons/Logo.svg',
  'public/favicon.ico',
  'package.json',
  ...Array.from({ length: 20 }, (_, i) => `pages/p${String(i).padStart(2, '0')}/index.md`),
];

describe('walkProject', () => {
  it('gives entries depth first, folders before files, heavy folders listed but not entered', async () => {
    const { list, calls } = tree(files, ['node_modules']);
    const walk = await walkProject(list, '', { recursive: true, maxEntries: 1000 });
    expect(walk.truncated).toBe(false);
    const paths = walk.entries.map((entry) => entry.path);
    expect(paths.slice(0, 3)).toEqual(['node_modules', 'pages', 'pages/p00']);
    expect(paths.indexOf('src/components/icons/Logo.svg')).toBe(paths.indexOf('src/components/icons') + 1);
    expect(paths.indexOf('src/App.jsx')).toBeGreaterThan(paths.indexOf('src/components/icons/Logo.svg'));
    expect(paths.slice(-2)).toEqual(['package.json', 'README.md']);
    expect(new Set(paths)).toEqual(
      new Set([
        ...files,
        'node_modules',
        'pages',
        'src',
        'src/components',
        'src/components/icons',
        'public',
        ...Array.from({ length: 20 }, (_, i) => `pages/p${String(i).padStart(2, '0')}`),
      ]),
    );
    expect(calls).not.toContain('node_modules');
  });

  it('lists several folders at once, at most eight', async () => {
    const walked = tree(files);
    await walkProject(walked.list, '', { recursive: true, maxEntries: 1000 });
    expect(walked.most()).toBeGreaterThan(1);
    expect(walked.most()).toBeLessThanOrEqual(8);
  });

  it('stops at the cap with a depth-first prefix, marked truncated', async () => {
    const full = await walkProject(tree(files).list, '', { recursive: true, maxEntries: 1000 });
    for (const cap of [1, 5, 12, 30]) {
      const walk = await walkProject(tree(files).list, '', { recursive: true, maxEntries: cap });
      expect(walk.truncated).toBe(true);
      expect(walk.entries.length).toBeLessThanOrEqual(cap);
      expect(walk.entries.length).toBeGreaterThan(0);
      expect(walk.entries).toEqual(full.entries.slice(0, walk.entries.length));
    }
  });

  it('lists only the root when not recursive, and fails as a listing fails', async () => {
    const walked = tree(files);
    const walk = await walkProject(walked.list, '', { recursive: false, maxEntries: 1000 });
    expect(walk.entries.map((entry) => entry.path)).toEqual(['pages', 'public', 'src', 'package.json', 'README.md']);
    expect(walked.calls).toEqual(['']);
    await expect(walkProject(tree(files).list, 'missing', { recursive: true, maxEntries: 10 })).rejects.toThrow(
      'no folder missing',
    );
  });
});
