// berth sync [dir] [--mode up|down|both] [--on-conflict local|remote|merge|ask]
import type { ConflictStrategy, SyncMode } from '../../contracts/sync';
import type { CliIo } from '../cli-io';
import { openExistingFolder, syncFolder } from '../folder-session';
import { createProgress } from '../progress';
import { formatSyncReport, skippedNotes, undoHint, unresolvedConflicts } from '../sync-report';

/** Exit status when the sync worked but conflicts wait for an answer. */
export const EXIT_CONFLICTS = 3;

export async function sync(
  input: { dir?: string; mode: SyncMode; onConflict: ConflictStrategy },
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const session = await openExistingFolder(input.dir, io, { command: 'sync' });
  const progress = createProgress(io);
  const outcome = await syncFolder(
    session,
    { mode: input.mode, onConflict: input.onConflict },
    { onProgress: progress.onProgress, signal },
  ).finally(() => {
    progress.finish();
    return session.close();
  });
  for (const line of formatSyncReport(outcome.result)) io.out(line);
  // The folder changed: its apply kept a backup first (berth undo puts it back).
  if (outcome.result.beforeSnapshots?.local) io.out(undoHint(input.dir));
  for (const line of skippedNotes(session.local.skipped)) io.err(line);
  if (!outcome.result.success) return 1;
  return unresolvedConflicts(outcome.result).length > 0 ? EXIT_CONFLICTS : 0;
}
