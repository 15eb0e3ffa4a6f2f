// Both sides of a diff, read from the project's repository: working tree vs index, index vs HEAD,
// a file in conflict (ours, theirs, and the working tree with git's markers), a commit's files
// against its first parent, and the index's copy for the editor's gutter. Each side is cut at
// DIFF_MAX_BYTES and a binary file (git's own test) is sent without its text.
import type { GitBaseDto, GitCommitFileDto, GitDiffDto } from '../contracts';
import { parseNameStatus, type NameStatusEntry } from './git-output';
import type { GitResult, GitRunner } from './git-runner';

/** Each side of a diff is sent up to this size. */
export const DIFF_MAX_BYTES = 1024 * 1024;
/** Files of one commit sent with their text. */
const COMMIT_FILES_MAX = 100;

/**
 * Working tree vs index, or index vs HEAD (`staged`). A staged rename is read from HEAD at its
 * original path. A file in conflict has no index entry (stage 0): its left side is ours (stage
 * 2), and `ours`/`theirs` carry both sides of the merge; the working tree keeps git's markers.
 */
export async function readDiff(
  runner: GitRunner,
  projectId: string,
  path: string,
  staged: boolean,
): Promise<GitDiffDto> {
  if (staged) {
    const [head, index] = await Promise.all([
      blob(runner, projectId, `HEAD:${path}`),
      blob(runner, projectId, `:0:${path}`),
    ]);
    const origPath = head.present ? undefined : await stagedRenameSource(runner, projectId, path);
    const original = origPath ? await blob(runner, projectId, `HEAD:${origPath}`) : head;
    return { path, staged, ...(origPath ? { origPath } : {}), ...sides(original, index) };
  }
  const [index, worktree] = await Promise.all([
    blob(runner, projectId, `:0:${path}`),
    readWorktree(runner, projectId, path),
  ]);
  if (index.present) return { path, staged, ...sides(index, worktree) };
  const conflict = await conflictSides(runner, projectId, path);
  if (!conflict) return { path, staged, ...sides(index, worktree) };
  const shown = sides(conflict.ours, worktree);
  const merge = sides(conflict.ours, conflict.theirs);
  const tooLarge = shown.tooLarge || merge.tooLarge;
  const binary = !tooLarge && (shown.binary || merge.binary);
  const text = !tooLarge && !binary;
  return {
    path,
    staged,
    original: text ? shown.original : '',
    modified: text ? shown.modified : '',
    binary,
    tooLarge,
    conflict: true,
    ours: text ? merge.original : '',
    theirs: text ? merge.modified : '',
  };
}

/**
 * The index's version of a file for the editor's gutter, in one exec: no repository, an
 * untracked file and a file in conflict all answer `tracked: false` (nothing to mark against).
 */
export async function readBase(runner: GitRunner, projectId: string, path: string): Promise<GitBaseDto> {
  const index = await blob(runner, projectId, `:0:${path}`);
  if (!index.present) return { path, tracked: false, text: '', binary: false, tooLarge: false };
  const binary = !index.tooLarge && isBinary(index.bytes);
  const text = index.tooLarge || binary ? '' : index.bytes.toString('utf8');
  return { path, tracked: true, text, binary, tooLarge: index.tooLarge };
}

/** The first COMMIT_FILES_MAX files a commit changed, each against `before` (its first parent; none for a root commit). */
export async function readCommitFiles(
  runner: GitRunner,
  projectId: string,
  hash: string,
  before: string | undefined,
  listed: NameStatusEntry[],
): Promise<{ files: GitCommitFileDto[]; truncated: boolean }> {
  const files = await Promise.all(
    listed.slice(0, COMMIT_FILES_MAX).map(async (file): Promise<GitCommitFileDto> => {
      const [original, modified] = await Promise.all([
        before && file.kind !== 'added'
          ? blob(runner, projectId, `${before}:${file.origPath ?? file.path}`)
          : EMPTY_SIDE,
        file.kind === 'deleted' ? EMPTY_SIDE : blob(runner, projectId, `${hash}:${file.path}`),
      ]);
      return { ...file, ...sides(original, modified) };
    }),
  );
  return { files, truncated: listed.length > COMMIT_FILES_MAX };
}

/** Where a staged rename or copy of `path` came from (index vs HEAD, as status shows it); null when none. */
async function stagedRenameSource(runner: GitRunner, projectId: string, path: string): Promise<string | null> {
  const result = await runner.git(projectId, [
    'diff',
    '--cached',
    '--no-ext-diff',
    '-M',
    '-z',
    '--name-status',
    '--diff-filter=RC',
  ]);
  if (result.code !== 0) return null;
  return parseNameStatus(result.stdout.toString('utf8')).find((file) => file.path === path)?.origPath ?? null;
}

/** Ours (stage 2) and theirs (stage 3) of a file in conflict; null when `path` is not unmerged. */
async function conflictSides(
  runner: GitRunner,
  projectId: string,
  path: string,
): Promise<{ ours: Side; theirs: Side } | null> {
  const unmerged = await runner.git(projectId, ['ls-files', '-u', '-z', '--', path]);
  if (unmerged.code !== 0 || unmerged.stdout.length === 0) return null;
  const [ours, theirs] = await Promise.all([
    blob(runner, projectId, `:2:${path}`),
    blob(runner, projectId, `:3:${path}`),
  ]);
  return { ours, theirs };
}

/** A blob by `<rev>:<path>` (`:0:<path>` is the index); missing → absent. */
async function blob(runner: GitRunner, projectId: string, spec: string): Promise<Side> {
  const result = await runner.git(projectId, ['cat-file', 'blob', spec], { maxBytes: DIFF_MAX_BYTES });
  return toSide(result);
}

async function readWorktree(runner: GitRunner, projectId: string, path: string): Promise<Side> {
  return toSide(await runner.readFile(projectId, path, { maxBytes: DIFF_MAX_BYTES }));
}

interface Side {
  present: boolean;
  bytes: Buffer;
  tooLarge: boolean;
}
const EMPTY_SIDE: Side = { present: false, bytes: Buffer.alloc(0), tooLarge: false };

function toSide(result: GitResult): Side {
  if (result.truncated) return { present: true, bytes: Buffer.alloc(0), tooLarge: true };
  if (result.code !== 0) return EMPTY_SIDE;
  return { present: true, bytes: result.stdout, tooLarge: false };
}

/** git's own test: a NUL in the first 8,000 bytes makes a file binary. */
const isBinary = (bytes: Buffer) => bytes.subarray(0, 8000).includes(0);

function sides(original: Side, modified: Side) {
  const tooLarge = original.tooLarge || modified.tooLarge;
  const binary = !tooLarge && (isBinary(original.bytes) || isBinary(modified.bytes));
  const text = !tooLarge && !binary;
  return {
    original: text ? original.bytes.toString('utf8') : '',
    modified: text ? modified.bytes.toString('utf8') : '',
    binary,
    tooLarge,
  };
}
