'use client';
// The History sidebar: the project's snapshots, "Save snapshot", and for the selected one the
// files that changed since, each openable in the diff view, plus "Restore project".
import { useEffect, useState } from 'react';
import type { SnapshotDto } from '@/server/contracts';
import type { WorkbenchSocket } from '../workbench-socket';
import { SaveSnapshotDialog } from './SaveSnapshotDialog';
import { RestoreProjectDialog } from './RestoreProjectDialog';
import { SnapshotChanges } from './SnapshotChanges';
import { SnapshotList } from './SnapshotList';
import { describeOutcome, type HistoryView } from './history-view';
import { useFsChanges } from './use-fs-changes';
import type { Snapshots } from './use-snapshots';

export function HistoryPanel({
  socket,
  projectId,
  running,
  visible,
  snapshots,
  view,
}: {
  socket: WorkbenchSocket | null;
  projectId: string;
  running: boolean;
  visible: boolean;
  snapshots: Snapshots;
  view: HistoryView;
}) {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [confirming, setConfirming] = useState<SnapshotDto | null>(null);
  const selected = snapshots.list?.find((snapshot) => snapshot.id === selectedId) ?? null;
  // "Changes since then" follows the workspace while it is on screen (and catches up when shown).
  const [fsTick, setFsTick] = useState(0);
  useFsChanges(socket, projectId, visible && selected !== null, () => setFsTick((tick) => tick + 1));
  useEffect(() => {
    if (visible) setFsTick((tick) => tick + 1);
  }, [visible]);

  // Selecting (never toggling): a just-saved snapshot is already selected, and a second click
  // must not hide what the person asked to see.
  const select = (snapshot: SnapshotDto) => {
    if (snapshot.id === selectedId) return;
    setSelectedId(snapshot.id);
    view.setComparing(null);
  };

  return (
    <div
      className="flex h-full flex-col bg-panel"
      data-testid="history-panel"
      data-status={snapshots.list ? 'ready' : snapshots.loadError ? 'error' : 'loading'}
    >
      <div className="flex h-8 shrink-0 items-center gap-1 border-b border-edge bg-panel-2 pl-3 pr-1">
        <span className="flex-1 text-xs font-semibold uppercase tracking-wide text-muted">History</span>
        <button
          type="button"
          className="flex h-6 items-center rounded px-2 text-xs text-accent hover:bg-surface disabled:opacity-40"
          disabled={!running}
          title={running ? 'Save a snapshot of the project now' : 'Start the workspace to save a snapshot'}
          onClick={() => setSaving(true)}
          data-testid="save-snapshot"
        >
          Save snapshot
        </button>
      </div>
      {view.outcome ? (
        <div
          role="status"
          data-testid="restore-outcome"
          className="flex shrink-0 items-start gap-2 border-b border-edge bg-green-500/10 px-3 py-2 text-xs text-green-300"
        >
          <span className="min-w-0 flex-1">{describeOutcome(view.outcome)}</span>
          <button
            type="button"
            aria-label="Dismiss"
            className="text-muted hover:text-gray-100"
            onClick={() => view.setOutcome(null)}
          >
            ✕
          </button>
        </div>
      ) : null}
      {snapshots.loadError ? (
        <p role="alert" className="shrink-0 px-3 py-2 text-xs text-danger">
          {snapshots.loadError}{' '}
          <button type="button" className="underline" onClick={() => void snapshots.refresh()}>
            Retry
          </button>
        </p>
      ) : null}
      <div className={`min-h-0 overflow-auto ${selected ? 'max-h-[45%] shrink-0' : 'flex-1'}`}>
        {snapshots.list ? (
          <SnapshotList snapshots={snapshots.list} selectedId={selectedId} onSelect={select} />
        ) : (
          <p className="px-3 py-2 text-xs text-muted">Loading snapshots…</p>
        )}
      </div>
      {selected ? (
        <div className="flex min-h-0 flex-1 flex-col">
          <SnapshotChanges
            key={selected.id}
            projectId={projectId}
            snapshot={selected}
            running={running}
            tick={view.changesTick + fsTick}
            openPath={view.comparing?.snapshot.id === selected.id ? view.comparing.entry.path : null}
            onOpen={(entry) => view.setComparing({ snapshot: selected, entry })}
            onRestoreProject={() => setConfirming(selected)}
          />
        </div>
      ) : null}

      <SaveSnapshotDialog
        projectId={projectId}
        open={saving}
        onClose={() => setSaving(false)}
        onSaved={(snapshot) => {
          setSaving(false);
          setSelectedId(snapshot.id);
          void snapshots.refresh();
        }}
      />
      <RestoreProjectDialog
        projectId={projectId}
        snapshot={confirming}
        onClose={() => setConfirming(null)}
        onRestored={(result) => {
          setConfirming(null);
          view.didRestore(result);
          void snapshots.refresh();
        }}
      />
    </div>
  );
}
