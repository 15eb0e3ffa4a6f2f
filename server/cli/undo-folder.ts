// Puts a folder back to how it was before one of its backups' applies (folder-backups.ts), where
// that is still safe: a file is put back only while it is exactly what the apply left (a file
// changed since is left alone and listed). The undo is itself one FolderPeer apply — journalled,
// so a crash mid-undo is finished by the next run, and with a backup of its own (an undo can be
// undone). The base's entries for the files put back return to what they were before that
// apply, so the next sync compares them as it would have then: a file the sync took from the
// Berth over a local edit is a conflict again, not an upload that silently reverts the Berth.
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import type { SyncManifestEntry } from '../contracts/sync';
import { sameEntry } from '../sync/core/three-way';
import { contentsInUse, type Backup, type BackupFile } from './folder-backups';
import type { FolderLayout } from './folder-layout';
import type { FolderPeer } from './folder-peer';
import { readBaseFile, writeBaseFile } from './folder-state';

export interface UndoOutcome {
  id: string;
  backup: Backup;
  /** Put back to their before entry (overwritten or deleted by that apply). */
  restored: string[];
  /** Created by that apply, removed. */
  removed: string[];
  /** Already as they were before (nothing to do). */
  already: string[];
  /** Changed since that apply: left alone. */
  changedSince: string[];
  /** Their earlier content is no longer kept (objects pruned or damaged): left alone. */
  lost: string[];
  /** The undo's own backup (undo it to redo), null when nothing changed. */
  undoBackupId: string | null;
}

/** Whether anything at all stands at `relative` (an ignored file, a folder), which a restore must not replace. */
async function occupied(root: string, relative: string): Promise<boolean> {
  return lstat(path.join(root, relative)).then(
    () => true,
    () => false,
  );
}

export async function undoBackup(layout: FolderLayout, peer: FolderPeer, id: string): Promise<UndoOutcome> {
  const backup = await peer.backups.read(id);
  if (!backup) throw new Error(`No backup ${id} in this folder (berth undo --list shows them)`);
  const state = await peer.scan();
  const current = new Map(state.files.map((entry) => [entry.path, entry]));
  const outcome: UndoOutcome = {
    id,
    backup,
    restored: [],
    removed: [],
    already: [],
    changedSince: [],
    lost: [],
    undoBackupId: null,
  };
  const putBack: BackupFile[] = [];
  for (const file of backup.files) {
    const now = current.get(file.path) ?? null;
    if (!sameEntry(now, file.after)) {
      (sameEntry(now, file.before) ? outcome.already : outcome.changedSince).push(file.path);
      continue;
    }
    // Deleted by the apply and not listed now, yet something (ignored) stands there: not ours to replace.
    if (!now && (await occupied(layout.root, file.path))) {
      outcome.changedSince.push(file.path);
      continue;
    }
    if (file.before && !(await peer.objects.has(file.before.sha256))) {
      outcome.lost.push(file.path);
      continue;
    }
    putBack.push(file);
    (file.before ? outcome.restored : outcome.removed).push(file.path);
  }
  if (putBack.length === 0) return outcome;

  const target = new Map(current);
  for (const file of putBack)
    if (file.before) target.set(file.path, { ...file.before, path: file.path });
    else target.delete(file.path);

  // The base first: until the apply runs, an older agreed entry only makes the next sync compare
  // more carefully (a crash in between loses nothing); the undo's own backup records the base as it was.
  const baseFile = await readBaseFile(layout);
  const baseNow = new Map((baseFile?.base.files ?? []).map((entry) => [entry.path, entry]));
  let baseFiles: SyncManifestEntry[] = baseFile?.base.files ?? [];
  if (baseFile) {
    const next = new Map(baseNow);
    for (const file of putBack) {
      if (file.base === undefined) continue;
      if (file.base) next.set(file.path, file.base);
      else next.delete(file.path);
    }
    baseFiles = [...next.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    await writeBaseFile(
      layout,
      { ...baseFile.base, files: baseFiles },
      { localStateId: baseFile.localStateId, remoteStateId: baseFile.remoteStateId },
      new Date(baseFile.syncedAt),
    );
  }

  const result = await peer.applyWithBackup(
    { expectedStateId: state.stateId, files: [...target.values()], label: `before berth undo of ${id}` },
    { kind: 'undo', undoes: id, base: baseNow },
  );
  outcome.undoBackupId = result.beforeSnapshotId;
  await peer.objects.prune(await contentsInUse(layout, baseFiles));
  return outcome;
}
