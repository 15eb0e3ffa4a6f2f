// Pure helpers for the Source Control panel: the status as VS Code groups it (Staged, Changes,
// Untracked, Conflicts), one-letter markers, and what a diff in the editor area shows.
import type { GitChangeKind, GitCommitFileDto, GitConflict, GitStatusDto, GitSyncResultDto } from '@/server/contracts';

export type GroupId = 'conflicts' | 'staged' | 'changes' | 'untracked';

export interface GitEntry {
  path: string;
  origPath?: string;
  /** M, A, D, R, C, T; U for untracked, ! for a conflict. */
  letter: string;
  /** In words, for the title attribute. */
  label: string;
}

export interface GitGroup {
  id: GroupId;
  title: string;
  entries: GitEntry[];
}

const kindLetter: Record<GitChangeKind, string> = {
  modified: 'M',
  added: 'A',
  deleted: 'D',
  renamed: 'R',
  copied: 'C',
  'type-changed': 'T',
};

const conflictLabel: Record<GitConflict['code'], string> = {
  DD: 'both deleted',
  AU: 'added by us',
  UD: 'deleted by them',
  UA: 'added by them',
  DU: 'deleted by us',
  AA: 'both added',
  UU: 'both modified',
};

export const letterFor = (kind: GitChangeKind): string => kindLetter[kind];

/** The colour of a marker letter, as in VS Code: modified amber, new green, deleted or conflicted red. */
export function markerColour(letter: string): string {
  switch (letter) {
    case 'A':
    case 'U':
      return 'text-green-400';
    case 'D':
    case '!':
      return 'text-red-400';
    case 'R':
    case 'C':
      return 'text-sky-300';
    case '•':
      return 'text-muted';
    default:
      return 'text-amber-300';
  }
}

/** The non-empty groups in VS Code's order: conflicts first (they block a commit). */
export function statusGroups(status: GitStatusDto): GitGroup[] {
  const groups: GitGroup[] = [
    {
      id: 'conflicts',
      title: 'Conflicts',
      entries: status.conflicts.map((conflict) => ({
        path: conflict.path,
        letter: '!',
        label: `Conflict: ${conflictLabel[conflict.code]}`,
      })),
    },
    {
      id: 'staged',
      title: 'Staged',
      entries: status.staged.map((change) => ({
        path: change.path,
        origPath: change.origPath,
        letter: letterFor(change.kind),
        label: change.kind,
      })),
    },
    {
      id: 'changes',
      title: 'Changes',
      entries: status.changes.map((change) => ({
        path: change.path,
        origPath: change.origPath,
        letter: letterFor(change.kind),
        label: change.kind,
      })),
    },
    {
      id: 'untracked',
      title: 'Untracked',
      entries: status.untracked.map((path) => ({ path, letter: 'U', label: 'untracked' })),
    },
  ];
  return groups.filter((group) => group.entries.length > 0);
}

/** How many files the Source Control tab's badge counts (each path once). */
export function changedCount(status: GitStatusDto | null): number {
  if (!status?.initialized) return 0;
  const paths = new Set<string>([
    ...status.staged.map((change) => change.path),
    ...status.changes.map((change) => change.path),
    ...status.untracked,
    ...status.conflicts.map((conflict) => conflict.path),
  ]);
  return paths.size;
}

/**
 * One marker per changed path for the file tree: a conflict wins, then the working tree's change,
 * then the staged one (VS Code shows the file's state against HEAD the same way). Folders above
 * a marked path get '•'.
 */
export function fileMarkers(status: GitStatusDto | null): Map<string, string> {
  const markers = new Map<string, string>();
  if (!status?.initialized) return markers;
  for (const change of status.staged) markers.set(change.path, letterFor(change.kind));
  for (const change of status.changes) markers.set(change.path, letterFor(change.kind));
  for (const path of status.untracked) markers.set(path.replace(/\/$/, ''), 'U');
  for (const conflict of status.conflicts) markers.set(conflict.path, '!');
  // A folder holding changes gets a dot, as in VS Code's explorer.
  for (const path of [...markers.keys()]) {
    for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      const folder = path.slice(0, slash);
      if (markers.has(folder)) break;
      markers.set(folder, '•');
    }
  }
  return markers;
}

/** The diff the editor area shows: a file of the status, or one file of a commit. */
export type GitDiffTarget =
  | { kind: 'working'; path: string; staged: boolean }
  | { kind: 'commit'; hash: string; subject: string; file: GitCommitFileDto };

export const diffTargetKey = (target: GitDiffTarget): string =>
  target.kind === 'working'
    ? `working:${target.staged ? 'staged' : 'unstaged'}:${target.path}`
    : `commit:${target.hash}:${target.file.path}`;

/** Column titles for the two sides of a diff. */
export function diffSides(target: GitDiffTarget): { original: string; modified: string } {
  if (target.kind === 'commit') return { original: 'Parent', modified: target.hash.slice(0, 7) };
  return target.staged
    ? { original: 'HEAD', modified: 'Staged (index)' }
    : { original: 'Index', modified: 'Working tree' };
}

/** Which diff a click on an entry of a group opens: staged files against HEAD, the rest against the index. */
export const diffForEntry = (group: GroupId, path: string): GitDiffTarget => ({
  kind: 'working',
  path,
  staged: group === 'staged',
});

/** The status still has the file the diff shows (else the diff view closes). */
export function stillChanged(status: GitStatusDto, target: GitDiffTarget): boolean {
  if (target.kind === 'commit') return true;
  if (target.staged) return status.staged.some((change) => change.path === target.path);
  return (
    status.changes.some((change) => change.path === target.path) ||
    status.untracked.includes(target.path) ||
    status.conflicts.some((conflict) => conflict.path === target.path)
  );
}

/** The first line of a commit message box's text; empty means nothing to commit with. */
export const commitReady = (message: string, stagedCount: number, amend: boolean): boolean =>
  message.trim() !== '' && (stagedCount > 0 || amend);

/**
 * Where an open working-tree diff goes when the status changes: it stays while the file is still
 * changed on its side, moves to the staged side once all of it is staged (and back), else closes.
 */
export function followDiff(status: GitStatusDto, target: GitDiffTarget): GitDiffTarget | null {
  if (target.kind === 'commit' || stillChanged(status, target)) return target;
  const other: GitDiffTarget = { ...target, staged: !target.staged };
  return stillChanged(status, other) ? other : null;
}

/** A refusal as git said it, then the server's next step when it gives one (Pull first, add a token…). */
export function gitErrorText(error: unknown, fallback = 'Git failed'): string {
  if (!(error instanceof Error) || !error.message) return fallback;
  const body = (error as { body?: { hint?: unknown } }).body;
  const hint = typeof body?.hint === 'string' && body.hint ? body.hint : null;
  return hint ? `${error.message}\n→ ${hint}` : error.message;
}

/** What a fetch, pull or push that went through says in the panel; `ahead` is the status's count before a push. */
export function syncNotice(result: GitSyncResultDto, ahead = 0): string {
  const where = `${result.remote}/${result.branch}`;
  const said = result.message.trim();
  const then = said ? `\n${said}` : '';
  switch (result.outcome) {
    case 'fetched':
      return `Fetched ${result.remote}${then}`;
    case 'pushed':
      return `${ahead > 0 ? `Pushed ${ahead} commit${ahead === 1 ? '' : 's'} to` : 'Pushed to'} ${where}${then}`;
    case 'merged':
      return `Pulled ${where}${then}`;
    case 'up-to-date':
      return `Up to date with ${where}`;
    case 'conflicts':
      return `Pulled ${where} with conflicts${then}`;
  }
}

/** Where a message's "Settings → Git" should link: the settings page, with the host it names. */
export function settingsLinkFor(text: string): { before: string; after: string; href: string } | null {
  const at = text.indexOf(SETTINGS_GIT);
  if (at < 0) return null;
  const host = /token for (\S+) (?:in|was refused)/.exec(text)?.[1];
  return {
    before: text.slice(0, at),
    after: text.slice(at + SETTINGS_GIT.length),
    href: host ? `/settings/git?${new URLSearchParams({ host }).toString()}` : '/settings/git',
  };
}

export const SETTINGS_GIT = 'Settings → Git';
