'use client';
// "Changes since then": how the workspace now differs from the selected snapshot. A file opens
// the diff view; "Restore project" puts every file back (after a confirmation).
import { useEffect, useState } from 'react';
import type { SnapshotDiffEntry, SnapshotDto } from '@/server/contracts';
import { Button } from '../../ui/Button';
import { errorText, snapshotDiff } from './snapshots-api';

type Load =
  { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; entries: SnapshotDiffEntry[] };

const badge: Record<SnapshotDiffEntry['status'], { letter: string; className: string; hint: string }> = {
  modified: { letter: 'M', className: 'text-yellow-400', hint: 'changed since the snapshot' },
  added: { letter: 'A', className: 'text-green-400', hint: 'new since the snapshot' },
  deleted: { letter: 'D', className: 'text-danger', hint: 'deleted since the snapshot' },
};

export function SnapshotChanges({
  projectId,
  snapshot,
  running,
  tick,
  openPath,
  onOpen,
  onRestoreProject,
}: {
  projectId: string;
  snapshot: SnapshotDto;
  running: boolean;
  tick: number;
  openPath: string | null;
  onOpen(entry: SnapshotDiffEntry): void;
  onRestoreProject(): void;
}) {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  useEffect(() => {
    if (!running) return;
    let alive = true;
    setLoad((previous) => (previous.status === 'ready' ? previous : { status: 'loading' }));
    snapshotDiff(projectId, snapshot.id).then(
      (entries) => alive && setLoad({ status: 'ready', entries }),
      (error: unknown) => alive && setLoad({ status: 'error', message: errorText(error, 'Could not compare') }),
    );
    return () => {
      alive = false;
    };
  }, [projectId, snapshot.id, running, tick]);

  return (
    <section
      className="flex min-h-0 flex-col border-t border-edge"
      data-testid="snapshot-changes"
      data-status={running ? load.status : 'stopped'}
      aria-label="Changes since then"
    >
      <div className="flex h-8 shrink-0 items-center bg-panel-2 px-3">
        <span className="truncate text-xs font-semibold uppercase tracking-wide text-muted">Changes since then</span>
      </div>
      <div className="min-h-0 flex-1 overflow-auto py-1 text-xs">
        {!running ? <p className="px-3 py-2 text-muted">Start the workspace to compare and restore.</p> : null}
        {running && load.status === 'loading' ? <p className="px-3 py-2 text-muted">Comparing…</p> : null}
        {running && load.status === 'error' ? (
          <p role="alert" className="px-3 py-2 text-danger">
            {load.message}
          </p>
        ) : null}
        {running && load.status === 'ready' && load.entries.length === 0 ? (
          <p className="px-3 py-2 text-muted">No differences: the files match this snapshot.</p>
        ) : null}
        {running && load.status === 'ready' && load.entries.length > 0 ? (
          <ul aria-label="Changed files">
            {load.entries.map((entry) => {
              const mark = badge[entry.status];
              return (
                <li key={entry.path}>
                  <button
                    type="button"
                    onClick={() => onOpen(entry)}
                    aria-pressed={openPath === entry.path}
                    title={`${entry.path}: ${mark.hint}`}
                    data-testid="snapshot-change"
                    data-path={entry.path}
                    data-status={entry.status}
                    className={`flex w-full items-center gap-2 px-3 py-1 text-left ${openPath === entry.path ? 'bg-accent/20' : 'hover:bg-panel-2'}`}
                  >
                    <span
                      className={`w-3 shrink-0 font-mono font-semibold ${mark.className}`}
                      aria-label={entry.status}
                    >
                      {mark.letter}
                    </span>
                    <span
                      className={`min-w-0 flex-1 truncate ${entry.status === 'deleted' ? 'line-through decoration-muted' : ''}`}
                    >
                      {entry.path}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        ) : null}
      </div>
      {/* Below the list: the whole-project action comes after looking at what it would undo. */}
      <div className="shrink-0 border-t border-edge p-2">
        <Button
          variant="secondary"
          className="w-full !py-1 !text-xs"
          onClick={onRestoreProject}
          disabled={!running}
          data-testid="restore-project"
        >
          Restore project…
        </Button>
      </div>
    </section>
  );
}
