// berth undo [dir] [--list] [<backupId>]: the folder back to how it was before a sync (default:
// the last one), from the backup that sync's apply wrote (folder-backups.ts, undo-folder.ts). Only
// the folder: the Berth side keeps its own "before sync with …" snapshot in its History.
import type { CliIo } from '../cli-io';
import type { Backup, StoredBackup } from '../folder-backups';
import { openLocalFolder } from '../folder-session';
import { undoBackup, type UndoOutcome } from '../undo-folder';

const LIST_MAX = 20;

function counts(backup: Backup): string {
  let changed = 0;
  let deleted = 0;
  let created = 0;
  for (const file of backup.files)
    if (!file.before) created++;
    else if (!file.after) deleted++;
    else changed++;
  const parts = [`${changed} overwritten`, `${deleted} deleted`, `${created} created`];
  return parts.join(' · ');
}

function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** The backup plain `berth undo` takes: the newest sync's (an undo's own backup is skipped). */
export function defaultBackup(backups: readonly StoredBackup[]): StoredBackup | undefined {
  return backups.findLast((stored) => stored.backup.kind === 'sync');
}

export function formatBackupList(backups: readonly StoredBackup[]): string[] {
  if (backups.length === 0) return ['No backups yet: each sync that changes this folder makes one.'];
  const chosen = defaultBackup(backups)?.id;
  const lines = ['Backups of this folder, newest first (berth undo <id> puts the folder back to one):'];
  for (const { id, backup } of [...backups].reverse())
    lines.push(
      `  ${id}  ${when(backup.createdAt)}  ${backup.label}  (${counts(backup)})${id === chosen ? '  ← berth undo' : ''}`,
    );
  return lines;
}

function listPaths(lines: string[], mark: string, paths: readonly string[], note = ''): void {
  for (const path of paths.slice(0, LIST_MAX)) lines.push(`  ${mark} ${path}${note}`);
  if (paths.length > LIST_MAX) lines.push(`  … and ${paths.length - LIST_MAX} more`);
}

export function formatUndo(outcome: UndoOutcome, folderName: string): string[] {
  const { backup, id } = outcome;
  const lines: string[] = [];
  const what = backup.kind === 'undo' ? `the undo of ${backup.undoes ?? 'a sync'}` : 'the sync';
  if (outcome.restored.length + outcome.removed.length === 0) {
    lines.push(`Nothing to undo: no file is as ${what} of ${when(backup.createdAt)} left it (${backup.label}).`);
  } else {
    lines.push(`Undid ${what} of ${when(backup.createdAt)} (${backup.label}, backup ${id}):`);
    listPaths(lines, '↺', outcome.restored, ' (put back)');
    listPaths(lines, '✕', outcome.removed, ` (created by ${what}, removed)`);
  }
  if (outcome.changedSince.length > 0) {
    lines.push(`Left alone, changed since ${what}:`);
    listPaths(lines, '·', outcome.changedSince);
  }
  if (outcome.lost.length > 0) {
    lines.push('Left alone, their earlier content is no longer kept:');
    listPaths(lines, '·', outcome.lost);
  }
  if (outcome.restored.length + outcome.removed.length > 0) {
    lines.push(
      `Only this folder changed. The Berth side has its own "before sync with ${folderName}" snapshot in`,
      'History: restore it there to undo the sync on the Berth too.',
    );
    if (outcome.undoBackupId) lines.push(`redo with: berth undo ${outcome.undoBackupId}`);
  }
  return lines;
}

export async function undo(input: { dir?: string; list: boolean; backupId?: string }, io: CliIo): Promise<number> {
  const folder = await openLocalFolder(input.dir, io, input.list ? undefined : 'undo');
  try {
    const backups = await folder.local.backups.list();
    if (input.list) {
      for (const line of formatBackupList(backups)) io.out(line);
      return 0;
    }
    const id = input.backupId ?? defaultBackup(backups)?.id;
    if (!id) throw new Error('No sync to undo: each sync that changes this folder makes a backup first');
    const outcome = await undoBackup(folder.layout, folder.local, id);
    for (const line of formatUndo(outcome, folder.local.name)) io.out(line);
    return 0;
  } finally {
    await folder.close();
  }
}
