import { describe, expect, it } from 'vitest';
import type { GitStatusDto } from '@/server/contracts';
import {
  changedCount,
  commitReady,
  diffForEntry,
  fileMarkers,
  followDiff,
  gitErrorText,
  statusGroups,
  stillChanged,
  settingsLinkFor,
  syncNotice,
} from './git-view';

const clean: GitStatusDto = {
  initialized: true,
  branch: 'main',
  head: 'abc',
  upstream: null,
  ahead: 0,
  behind: 0,
  staged: [],
  changes: [],
  untracked: [],
  conflicts: [],
};

const busy: GitStatusDto = {
  ...clean,
  staged: [
    { path: 'a.ts', kind: 'added' },
    { path: 'b.ts', kind: 'modified' },
  ],
  changes: [
    { path: 'b.ts', kind: 'modified' },
    { path: 'c.ts', kind: 'deleted' },
  ],
  untracked: ['new.txt'],
  conflicts: [{ path: 'merge.txt', code: 'UU' }],
};

describe('statusGroups', () => {
  it('leaves out empty groups', () => {
    expect(statusGroups(clean)).toEqual([]);
  });

  it('orders conflicts, staged, changes, untracked with letters', () => {
    const groups = statusGroups(busy);
    expect(groups.map((group) => group.id)).toEqual(['conflicts', 'staged', 'changes', 'untracked']);
    expect(groups[0]!.entries).toEqual([{ path: 'merge.txt', letter: '!', label: 'Conflict: both modified' }]);
    expect(groups[1]!.entries.map((entry) => entry.letter)).toEqual(['A', 'M']);
    expect(groups[2]!.entries.map((entry) => entry.letter)).toEqual(['M', 'D']);
    expect(groups[3]!.entries).toEqual([{ path: 'new.txt', letter: 'U', label: 'untracked' }]);
  });
});

describe('changedCount and fileMarkers', () => {
  it('counts each path once and nothing without a repository', () => {
    expect(changedCount(busy)).toBe(5);
    expect(changedCount({ ...busy, initialized: false })).toBe(0);
    expect(changedCount(null)).toBe(0);
  });

  it('prefers a conflict, then the working tree, then the index', () => {
    const markers = fileMarkers({ ...busy, changes: [...busy.changes, { path: 'merge.txt', kind: 'modified' }] });
    expect(markers.get('a.ts')).toBe('A');
    expect(markers.get('b.ts')).toBe('M');
    expect(markers.get('c.ts')).toBe('D');
    expect(markers.get('new.txt')).toBe('U');
    expect(markers.get('merge.txt')).toBe('!');
  });

  it('marks an untracked folder by its name without the slash', () => {
    expect(fileMarkers({ ...clean, untracked: ['dir/'] }).get('dir')).toBe('U');
  });

  it('puts a dot on the folders above a changed file', () => {
    const markers = fileMarkers({
      ...clean,
      changes: [{ path: 'src/app/page.tsx', kind: 'modified' }],
      untracked: ['src/new/'],
    });
    expect(markers.get('src/app/page.tsx')).toBe('M');
    expect(markers.get('src/app')).toBe('•');
    expect(markers.get('src/new')).toBe('U');
    expect(markers.get('src')).toBe('•');
  });
});

describe('diff targets', () => {
  it('opens staged files against HEAD and the others against the index', () => {
    expect(diffForEntry('staged', 'a.ts')).toEqual({ kind: 'working', path: 'a.ts', staged: true });
    expect(diffForEntry('untracked', 'n')).toEqual({ kind: 'working', path: 'n', staged: false });
  });

  it('knows when the file a diff shows is no longer changed', () => {
    expect(stillChanged(busy, { kind: 'working', path: 'a.ts', staged: true })).toBe(true);
    expect(stillChanged(busy, { kind: 'working', path: 'a.ts', staged: false })).toBe(false);
    expect(stillChanged(busy, { kind: 'working', path: 'new.txt', staged: false })).toBe(true);
    expect(stillChanged(clean, { kind: 'working', path: 'b.ts', staged: false })).toBe(false);
  });
});

describe('followDiff', () => {
  it('keeps, moves to the other side, or closes a working-tree diff', () => {
    const unstaged = { kind: 'working', path: 'a.ts', staged: false } as const;
    expect(followDiff(busy, { ...unstaged, path: 'b.ts' })).toEqual({ ...unstaged, path: 'b.ts' });
    expect(followDiff(busy, unstaged)).toEqual({ ...unstaged, staged: true });
    expect(followDiff(busy, { ...unstaged, path: 'c.ts', staged: true })).toEqual({ ...unstaged, path: 'c.ts' });
    expect(followDiff(clean, unstaged)).toBeNull();
  });
});

describe('commitReady', () => {
  it('needs a message and something staged, or amend', () => {
    expect(commitReady('', 3, false)).toBe(false);
    expect(commitReady('  ', 3, false)).toBe(false);
    expect(commitReady('fix', 0, false)).toBe(false);
    expect(commitReady('fix', 0, true)).toBe(true);
    expect(commitReady('fix', 1, false)).toBe(true);
  });
});

describe('gitErrorText and syncNotice', () => {
  it("shows git's words and then the next step", () => {
    const refused = Object.assign(new Error('! [rejected] main -> main (fetch first)'), {
      body: {
        error: 'git_push_rejected',
        message: '! [rejected] main -> main (fetch first)',
        hint: 'Pull first, then push',
      },
    });
    expect(gitErrorText(refused)).toBe('! [rejected] main -> main (fetch first)\n→ Pull first, then push');
    expect(gitErrorText(new Error('fatal: no upstream'))).toBe('fatal: no upstream');
    expect(gitErrorText('nope')).toBe('Git failed');
  });

  it('names the remote branch', () => {
    const base = { remote: 'origin', branch: 'main', conflicts: [], message: '' };
    expect(syncNotice({ ...base, outcome: 'pushed' })).toBe('Pushed to origin/main');
    expect(syncNotice({ ...base, outcome: 'pushed', message: 'To x' }, 2)).toBe(
      'Pushed 2 commits to origin/main\nTo x',
    );
    expect(syncNotice({ ...base, outcome: 'pushed' }, 1)).toBe('Pushed 1 commit to origin/main');
    expect(syncNotice({ ...base, outcome: 'up-to-date' })).toBe('Up to date with origin/main');
    expect(syncNotice({ ...base, outcome: 'merged', message: 'Fast-forward' })).toBe(
      'Pulled origin/main\nFast-forward',
    );
  });
});

describe('settingsLinkFor', () => {
  it('links "Settings → Git" with the host the hint names', () => {
    const text = 'fatal: could not read Username\n→ Add a token for git.example.com:8443 in Settings → Git';
    expect(settingsLinkFor(text)).toEqual({
      before: 'fatal: could not read Username\n→ Add a token for git.example.com:8443 in ',
      after: '',
      href: '/settings/git?host=git.example.com%3A8443',
    });
    expect(settingsLinkFor('→ The token for github.com was refused: check it in Settings → Git')?.href).toBe(
      '/settings/git?host=github.com',
    );
    expect(settingsLinkFor('Remove it from the URL and add a token in Settings → Git')?.href).toBe('/settings/git');
    expect(settingsLinkFor('Pull first, then push')).toBeNull();
  });
});
