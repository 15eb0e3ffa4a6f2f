'use client';
// The snapshots, newest first: label or reason, when (relative; absolute on hover), size, how
// many files changed since the one before, and how many were skipped and why (on hover).
import type { SnapshotDto } from '@/server/contracts';
import { relativeTime } from '../../dashboard/relative-time';
import { absoluteTime, formatBytes, plural, skippedLines, snapshotTitle } from './format';

export function SnapshotList({
  snapshots,
  selectedId,
  onSelect,
}: {
  snapshots: SnapshotDto[];
  selectedId: string | null;
  onSelect(snapshot: SnapshotDto): void;
}) {
  if (snapshots.length === 0) {
    return (
      <p className="px-3 py-4 text-xs text-muted">
        No snapshots yet. One is taken 30 s after you change files, before the workspace stops, or when you press Save.
      </p>
    );
  }
  return (
    <ul className="py-1" aria-label="Snapshots">
      {snapshots.map((snapshot) => {
        const selected = snapshot.id === selectedId;
        const skipped = snapshot.skipped.length;
        return (
          <li key={snapshot.id}>
            <button
              type="button"
              onClick={() => onSelect(snapshot)}
              aria-pressed={selected}
              data-testid="snapshot-row"
              data-snapshot-id={snapshot.id}
              data-reason={snapshot.reason}
              className={`block w-full px-3 py-1.5 text-left text-xs ${selected ? 'bg-accent/20' : 'hover:bg-panel-2'}`}
            >
              <span className="flex items-baseline gap-2">
                <span
                  className={`min-w-0 flex-1 truncate ${snapshot.label ? 'font-medium text-gray-100' : 'text-gray-300'}`}
                  data-testid="snapshot-title"
                >
                  {snapshotTitle(snapshot)}
                </span>
                <time
                  dateTime={snapshot.createdAt}
                  title={absoluteTime(snapshot.createdAt)}
                  className="shrink-0 text-muted"
                >
                  {relativeTime(snapshot.createdAt)}
                </time>
              </span>
              <span className="mt-0.5 block truncate text-muted">
                {plural(snapshot.fileCount, 'file')} · {formatBytes(snapshot.totalBytes)} · {snapshot.changedFiles}{' '}
                changed
                {skipped > 0 ? (
                  <span
                    className="text-yellow-400"
                    title={skippedLines(snapshot.skipped)}
                    data-testid="snapshot-skipped"
                  >
                    {' '}
                    · {skipped} skipped
                  </span>
                ) : null}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
