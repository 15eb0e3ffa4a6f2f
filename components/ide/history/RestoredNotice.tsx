'use client';
// Says clearly when a start found the workspace's volume gone and put the latest snapshot back:
// anything changed after that snapshot is not there. (An imported or duplicated project's first
// start is seeded the same way; that is expected and not worth a notice.)
import { useState } from 'react';
import type { SnapshotDto, WorkspaceStatusDto } from '@/server/contracts';
import { absoluteTime } from './format';

export function RestoredNotice({
  workspace,
  snapshots,
  onOpenHistory,
}: {
  workspace: WorkspaceStatusDto | null;
  snapshots: SnapshotDto[] | null;
  onOpenHistory(): void;
}) {
  const [dismissed, setDismissed] = useState<string | null>(null);
  const from = workspace?.restoredFrom;
  if (!from || !snapshots || dismissed === from.snapshotId) return null;
  const reason = snapshots.find((snapshot) => snapshot.id === from.snapshotId)?.reason;
  // Seeded from the import or duplicate itself: what the person expects, not a loss.
  if (reason === 'import' || reason === 'duplicate') return null;
  return (
    <div
      role="status"
      data-testid="restored-notice"
      className="flex shrink-0 items-center gap-3 border-b border-yellow-500/40 bg-yellow-500/10 px-4 py-2 text-sm text-yellow-200"
    >
      <span className="min-w-0 flex-1">
        This workspace&apos;s files were missing, so Berth restored them from the snapshot of{' '}
        <strong>{absoluteTime(from.createdAt)}</strong>. Changes made after that snapshot are not included.
      </span>
      <button type="button" className="rounded px-2 py-0.5 text-xs hover:bg-yellow-500/20" onClick={onOpenHistory}>
        Open History
      </button>
      <button
        type="button"
        className="rounded px-2 py-0.5 text-xs hover:bg-yellow-500/20"
        onClick={() => setDismissed(from.snapshotId)}
        aria-label="Dismiss"
      >
        Dismiss
      </button>
    </div>
  );
}
