// How a sync's result is printed: the summary line (`↑ 3 files · ↓ 1 file · ⚠ 0 conflicts`), the
// paths behind it, each conflict with how it ended, and for unanswered ones how to answer.
import type { SyncConflictDto, SyncResultDto } from '../contracts/sync';
import { formatSyncSummary } from '../sync/core/summary';

const LIST_MAX = 20;

function listPaths(lines: string[], arrow: string, paths: readonly string[]): void {
  for (const path of paths.slice(0, LIST_MAX)) lines.push(`  ${arrow} ${path}`);
  if (paths.length > LIST_MAX) lines.push(`  … and ${paths.length - LIST_MAX} more`);
}

function conflictLine(conflict: SyncConflictDto): string {
  switch (conflict.outcome) {
    case 'local':
      return `kept this folder's version`;
    case 'remote':
      return `took the Berth's version`;
    case 'merged':
      return 'merged cleanly';
    case 'markers':
      return 'merged with conflict markers: review it';
    case 'kept-both':
      return `binary: the Berth's copy was kept as ${conflict.keptAs ?? 'a second file'}`;
    case 'unresolved':
      return conflict.local === null
        ? 'deleted here, changed on the Berth'
        : conflict.remote === null
          ? 'changed here, deleted on the Berth'
          : 'changed on both sides';
  }
}

export function unresolvedConflicts(result: SyncResultDto): SyncConflictDto[] {
  return result.conflicts.filter((conflict) => conflict.outcome === 'unresolved');
}

/** The lines to print on stdout for a sync's result. */
export function formatSyncReport(result: SyncResultDto, options: { verbose?: boolean } = {}): string[] {
  const lines = [formatSyncSummary(result, { conversationsSynced: false })];
  if (options.verbose !== false) {
    listPaths(lines, '↑', result.uploaded ?? []);
    listPaths(lines, '↓', result.downloaded ?? []);
  }
  for (const conflict of result.conflicts) lines.push(`  ⚠ ${conflict.path}: ${conflictLine(conflict)}`);
  // On disk on one side but outside its sync (ignored, too large, unreadable): neither deleted nor overwritten.
  for (const held of result.held ?? []) lines.push(`  ⏸ ${held.path}: ${held.reason}`);
  if (unresolvedConflicts(result).length > 0)
    lines.push(
      'Nothing was changed for these. Sync again with --on-conflict local (keep this folder’s), remote (take the',
      'Berth’s) or merge (three-way merge, markers where both changed the same lines).',
    );
  for (const error of result.errors) lines.push(`✗ ${error}`);
  return lines;
}

/** `undo with: berth undo …`, naming the folder when the command named one. */
export function undoHint(dir?: string): string {
  if (dir === undefined) return 'undo with: berth undo';
  return `undo with: berth undo ${/^[\w./~-]+$/.test(dir) ? dir : JSON.stringify(dir)}`;
}

/** Notes (stderr) on files the folder's scan left out, so nobody wonders why they did not travel. */
export function skippedNotes(skipped: readonly { path: string; reason: string }[], max = 5): string[] {
  const lines = skipped.slice(0, max).map((entry) => `note: ${entry.path} is not synced (${entry.reason})`);
  if (skipped.length > max) lines.push(`note: … and ${skipped.length - max} more not synced`);
  return lines;
}
