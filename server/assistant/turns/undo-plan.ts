// What "Undo this turn" does with one file the turn changed, decided from three states: what the
// file was before the turn (its target), what the turn left there (the recorded fingerprint) and
// what it is now. A file that is as the turn left it goes back to its target; one changed since
// (by the user or a later turn) is a conflict unless forced; one already at its target is left.
import type { RecordedTurnFileChange } from '../../contracts';

/** The file now, as read from the workspace. */
export type CurrentFile = { kind: 'absent' } | { kind: 'file'; sha256: string; version: string } | { kind: 'folder' };

/** What the file was before the turn: absent, some bytes, or not known (why). */
export type UndoTarget =
  | { kind: 'absent' }
  /**
   * `stale`: why this may not be the file's last version before the turn (a conflict unless forced).
   * `mode`: its permission bits then (0o755 for a script), when the snapshot kept them.
   */
  | { kind: 'content'; sha256: string; content: Buffer; stale?: string; mode?: number }
  | { kind: 'unavailable'; reason: string };

export type UndoStep =
  | { action: 'none' }
  | { action: 'remove' }
  | { action: 'write'; content: Buffer; mode?: number }
  | { action: 'conflict'; reason: string };

export const CONFLICT_REASONS = {
  changed: 'changed since the turn',
  deleted: 'deleted since the turn',
  recreated: 'created again since the turn removed it',
  folder: 'a folder is there now',
  unrecorded: 'the turn was recorded before undo kept what it left, so a change since cannot be ruled out',
  locked: 'open with unsaved changes in a tab (locked)',
  raced: 'changed while undoing',
  stale:
    'saved after the snapshot was taken, before the assistant changed it: that version is not kept, the snapshot has an older one',
} as const;

export function planUndo(
  change: Pick<RecordedTurnFileChange, 'afterSha256'>,
  current: CurrentFile,
  target: UndoTarget,
  force: boolean,
): UndoStep {
  if (current.kind === 'folder') return { action: 'conflict', reason: CONFLICT_REASONS.folder };
  if (target.kind === 'unavailable') return { action: 'conflict', reason: target.reason };
  const atTarget =
    target.kind === 'absent' ? current.kind === 'absent' : current.kind === 'file' && current.sha256 === target.sha256;
  if (atTarget) return { action: 'none' };
  if (!force) {
    const why = sinceTheTurn(change.afterSha256, current) ?? (target.kind === 'content' ? target.stale : undefined);
    if (why) return { action: 'conflict', reason: why };
  }
  if (target.kind === 'absent') return { action: 'remove' };
  return { action: 'write', content: target.content, ...(target.mode === undefined ? {} : { mode: target.mode }) };
}

/** Why the file is not as the turn left it; undefined when it is. */
function sinceTheTurn(
  left: string | null | undefined,
  current: Exclude<CurrentFile, { kind: 'folder' }>,
): string | undefined {
  if (left === undefined) return CONFLICT_REASONS.unrecorded;
  if (left === null) return current.kind === 'absent' ? undefined : CONFLICT_REASONS.recreated;
  if (current.kind === 'absent') return CONFLICT_REASONS.deleted;
  return current.sha256 === left ? undefined : CONFLICT_REASONS.changed;
}
