import { describe, expect, it } from 'vitest';
import type { FileEntry } from '../../contracts';
import { buildSystemPrompt } from './system-prompt';

const entry = (path: string, kind: FileEntry['kind'], heavy?: boolean): FileEntry => ({
  name: path.split('/').at(-1)!,
  path,
  kind,
  size: 0,
  mtimeMs: 0,
  ...(heavy ? { heavy } : {}),
});

describe('buildSystemPrompt', () => {
  it('names the project and the tools and lists the tree, heavy folders marked as not listed', () => {
    const prompt = buildSystemPrompt({
      projectName: 'Shop',
      toolNames: ['read_file', 'write_file'],
      tree: {
        entries: [entry('node_modules', 'dir', true), entry('src', 'dir'), entry('src/app.js', 'file')],
        truncated: false,
      },
    });
    expect(prompt).toContain('"Shop"');
    expect(prompt).toContain('read_file, write_file');
    expect(prompt).toContain('The project files now:\nnode_modules/ (not listed)\nsrc/\nsrc/app.js');
  });

  it('says when the tree was cut at its cap, or could not be read', () => {
    const cut = buildSystemPrompt({
      projectName: 'Big',
      toolNames: [],
      tree: { entries: [entry('a.js', 'file')], truncated: true },
    });
    expect(cut).toContain('The project files now (the first 1; list_files shows more):\na.js');
    const unread = buildSystemPrompt({ projectName: 'Gone', toolNames: [], tree: undefined });
    expect(unread).toContain('(the file tree could not be read; use list_files)');
    expect(buildSystemPrompt({ projectName: 'New', toolNames: [], tree: { entries: [], truncated: false } })).toContain(
      'The project files now:\n(empty)',
    );
  });
});
