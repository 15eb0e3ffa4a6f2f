// Applies a new state to the folder so that a crash at any point leaves it old or new: every new
// content is first written under .berth/incoming/, then the journal naming each step, then the
// steps run (deletes, then renames into place) and the journal goes. An interrupted run is
// finished from its journal before the folder is read again: each step can be redone (a rename
// whose staged file is gone was done; deleting what is gone is nothing).
// Nothing is ever written through a symlink: a path whose folder inside the project is a
// symlink is refused, and files land by rename, which replaces a symlink instead of following it.
// The journal names each target's identity as the scan saw it (absent: null); right before a
// step unlinks or renames over a path, it looks again, and a file that changed since (a save
// during the apply, a file recreated before an interrupted apply was finished) is kept: the step
// is skipped and the path reported as held, for the next sync to compare.
import type { BigIntStats } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, rm, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { syncPathProblem } from '../sync/core/manifest-checks';
import { writeJsonAtomic } from './atomic-file';
import type { FolderLayout } from './folder-layout';
import { identityOf, sameIdentity, type FileIdentity } from './folder-scan';

const identitySchema = z.object({ ino: z.string(), size: z.string(), mtimeNs: z.string() });

const journalSchema = z.object({
  version: z.literal(1),
  /** The folder's state id once every step ran. */
  stateId: z.string(),
  deletes: z.array(z.string()),
  writes: z.array(z.object({ path: z.string(), stage: z.string().regex(/^w-[0-9]+$/) })),
  /** Per target path, the file the scan saw there (null: none). A path not named is not checked (older journals). */
  identities: z.record(z.string(), identitySchema.nullable()).optional(),
});
export type ApplyJournal = z.infer<typeof journalSchema>;

/** A path the folder refuses to write (through a symlink, or one the sync's checks refuse). */
export class UnsafePathError extends Error {
  readonly code = 'unsafe_path';
}

export function stagePath(layout: FolderLayout, stage: string): string {
  return path.join(layout.incoming, stage);
}

export async function readJournal(layout: FolderLayout): Promise<ApplyJournal | undefined> {
  let text: string;
  try {
    text = await readFile(layout.journal, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = journalSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${layout.journal} is damaged; remove it and .berth/incoming to sync again`);
  return parsed.data;
}

/** Commits to the staged apply: from here on it is finished, now or by the next run. */
export async function writeJournal(layout: FolderLayout, journal: ApplyJournal): Promise<void> {
  await writeJsonAtomic(layout.journal, journal);
}

/** Finishes an apply left by an interrupted run; false when there was none. */
/**
 * Finishes an apply left by an interrupted run; false when there was none. Steps that cannot be
 * done any more are reported on `onProblem` and skipped: a journal that can never finish must
 * not block the folder (the next sync's three-way comparison sees what is there).
 */
export async function finishJournal(layout: FolderLayout, onProblem?: (problem: string) => void): Promise<boolean> {
  const journal = await readJournal(layout);
  if (!journal) return false;
  const { problems, held } = await runJournal(layout, journal);
  for (const problem of problems) onProblem?.(problem);
  for (const relative of held) onProblem?.(`change ${relative}: it changed since; your version was kept`);
  return true;
}

export interface JournalOutcome {
  /** Steps that failed. */
  problems: string[];
  /** Paths left as they are because they changed since the scan (the user's version kept). */
  held: string[];
}

/** Runs every step (each can be redone), then drops the journal. */
export async function runJournal(layout: FolderLayout, journal: ApplyJournal): Promise<JournalOutcome> {
  const problems: string[] = [];
  const held: string[] = [];
  const attempt = async (relative: string, step: () => Promise<void>) => {
    try {
      checkPath(relative);
      insideRoot(layout.root, relative);
      await step();
    } catch (error) {
      problems.push(`${relative}: ${(error as Error).message}`);
    }
  };
  /** Whether what is at `relative` now is still what the scan saw (no record: not checked). */
  const unchanged = (relative: string, stats: BigIntStats | undefined): boolean => {
    const expected: FileIdentity | null | undefined = journal.identities?.[relative];
    if (expected === undefined) return true;
    if (expected === null) return !stats || stats.isDirectory();
    return stats !== undefined && sameIdentity(expected, identityOf(stats));
  };
  for (const relative of journal.deletes)
    await attempt(relative, async () => {
      const absolute = path.join(layout.root, relative);
      if (!(await parentsAreFolders(layout.root, relative))) return; // its folder is gone or a link: nothing of ours there
      const stats = await lstat(absolute, { bigint: true }).catch(() => undefined);
      if (!stats || stats.isDirectory()) return;
      if (!unchanged(relative, stats)) {
        held.push(relative);
        return;
      }
      await unlink(absolute).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      await removeEmptyParents(layout.root, relative);
    });
  for (const { path: relative, stage } of journal.writes)
    await attempt(relative, async () => {
      const staged = stagePath(layout, stage);
      if (!(await lstat(staged).catch(() => undefined))) return; // renamed into place already
      const absolute = path.join(layout.root, relative);
      const existing = (await parentsAreFolders(layout.root, relative))
        ? await lstat(absolute, { bigint: true }).catch(() => undefined)
        : undefined;
      if (!unchanged(relative, existing)) {
        held.push(relative);
        return;
      }
      await makeParents(layout.root, relative);
      // An empty folder where a file goes (its files were deleted above) gives way; a full one does not.
      if (existing?.isDirectory()) await rmdir(absolute);
      await rename(staged, absolute);
    });
  await rm(layout.journal, { force: true });
  await rm(layout.incoming, { recursive: true, force: true });
  return { problems, held };
}

/** Defence in depth under the path checks: the target resolves inside the folder, never beside it. */
export function insideRoot(root: string, relative: string): string {
  const base = path.resolve(root);
  const absolute = path.resolve(base, relative);
  if (!absolute.startsWith(base + path.sep))
    throw new UnsafePathError(`Refusing to write ${JSON.stringify(relative)}: it is outside the folder`);
  return absolute;
}

/**
 * Before anything is staged: every write can land — no folder on its way is a symlink or a file
 * that stays, and no folder holding more than the deletes empty stands where it goes.
 */
export async function checkWritable(
  root: string,
  writes: readonly string[],
  deletes: ReadonlySet<string>,
): Promise<void> {
  for (const relative of writes) {
    checkPath(relative);
    insideRoot(root, relative);
    const segments = relative.split('/');
    for (let depth = 1; depth < segments.length; depth++) {
      const folder = segments.slice(0, depth).join('/');
      const stats = await lstat(path.join(root, folder)).catch(() => undefined);
      if (!stats || stats.isDirectory()) continue;
      if (stats.isSymbolicLink() && !deletes.has(folder))
        throw new UnsafePathError(`Refusing to write ${relative}: its folder ${folder} is a symlink`);
      if (!deletes.has(folder)) throw new UnsafePathError(`Cannot write ${relative}: ${folder} is a file`);
    }
    const stats = await lstat(path.join(root, relative)).catch(() => undefined);
    if (stats?.isDirectory() && !(await emptiedBy(path.join(root, relative), relative, deletes)))
      throw new UnsafePathError(`Cannot write ${relative}: a folder with other files is there`);
  }
}

/** Whether deleting `deletes` leaves the folder with nothing but empty folders. */
async function emptiedBy(absolute: string, relative: string, deletes: ReadonlySet<string>): Promise<boolean> {
  const entries = await readdir(absolute, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const child = `${relative}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!(await emptiedBy(path.join(absolute, entry.name), child, deletes))) return false;
    } else if (!deletes.has(child)) return false;
  }
  return true;
}

function checkPath(relative: string): void {
  const problem = syncPathProblem(relative);
  if (problem) throw new UnsafePathError(`Refusing to write ${JSON.stringify(relative)}: ${problem}`);
}

/** Whether every folder on the way to `relative` is a real folder (not a symlink, not missing). */
async function parentsAreFolders(root: string, relative: string): Promise<boolean> {
  const segments = relative.split('/').slice(0, -1);
  let current = root;
  for (const segment of segments) {
    current = path.join(current, segment);
    const stats = await lstat(current).catch(() => undefined);
    if (!stats?.isDirectory()) return false;
  }
  return true;
}

/** mkdir -p of `relative`'s folders, refusing any that is a symlink or a file. */
export async function makeParents(root: string, relative: string): Promise<void> {
  const segments = relative.split('/').slice(0, -1);
  let current = root;
  for (const [index, segment] of segments.entries()) {
    current = path.join(current, segment);
    const stats = await lstat(current).catch(() => undefined);
    if (stats?.isDirectory()) continue;
    const folder = segments.slice(0, index + 1).join('/');
    if (stats?.isSymbolicLink())
      throw new UnsafePathError(`Refusing to write ${relative}: its folder ${folder} is a symlink`);
    if (stats) throw new UnsafePathError(`Cannot write ${relative}: ${folder} is a file`);
    await mkdir(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    // Made by someone else in between as something other than a folder: refuse.
    if (!(await lstat(current)).isDirectory())
      throw new UnsafePathError(`Refusing to write ${relative}: ${folder} is not a folder`);
  }
}

/** After a delete: the folders it left empty go too, up to the root (as git does). */
async function removeEmptyParents(root: string, relative: string): Promise<void> {
  const segments = relative.split('/');
  for (let depth = segments.length - 1; depth > 0; depth--) {
    const folder = path.join(root, ...segments.slice(0, depth));
    const names = await readdir(folder).catch(() => undefined);
    if (!names || names.length > 0) return;
    await rmdir(folder).catch(() => undefined);
  }
}
