'use client';
// The editor area while comparing: one file as it was in a snapshot against the workspace now,
// with "Restore this file". Escape or ✕ goes back to the editor.
import { useCallback, useEffect, useRef, useState } from 'react';
import { relativeTime } from '../../dashboard/relative-time';
import { Button } from '../../ui/Button';
import { absoluteTime, snapshotTitle } from './format';
import type { Comparing, RestoreOutcome } from './history-view';
import { currentFileText, errorText, restoreSnapshot, snapshotFileText } from './snapshots-api';
import { SnapshotDiff } from './SnapshotDiff';
import { useFsChanges } from './use-fs-changes';
import type { WorkbenchSocket } from '../workbench-socket';

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; before: string | null; after: string | null; version: number };

export function SnapshotDiffView({
  socket,
  projectId,
  comparing,
  onClose,
  onRestored,
}: {
  socket: WorkbenchSocket | null;
  projectId: string;
  comparing: Comparing;
  onClose(): void;
  onRestored(outcome: RestoreOutcome): void;
}) {
  const { snapshot, entry } = comparing;
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [restoring, setRestoring] = useState(false);
  const [restoreError, setRestoreError] = useState<string | null>(null);

  const fetchBoth = useCallback(async () => {
    try {
      const [before, after] = await Promise.all([
        snapshotFileText(projectId, snapshot.id, entry.path),
        currentFileText(projectId, entry.path),
      ]);
      setLoad((previous) => ({
        status: 'ready',
        before,
        after,
        version: previous.status === 'ready' ? previous.version + 1 : 0,
      }));
    } catch (error) {
      setLoad({ status: 'error', message: errorText(error, 'Could not load the file') });
    }
  }, [projectId, snapshot.id, entry.path]);

  // The right side is "now": a save or a terminal command that touches the file updates it.
  useFsChanges(socket, projectId, true, (paths) => {
    if (paths.has(entry.path)) void fetchBoth();
  });

  useEffect(() => {
    setLoad({ status: 'loading' });
    setRestoreError(null);
    void fetchBoth();
  }, [fetchBoth]);

  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Only when focus is in the comparison, the History panel or nowhere: Escape in the terminal belongs to the
      // shell, and a dialog handles its own.
      const focus = document.activeElement;
      const ours =
        !focus ||
        focus === document.body ||
        Boolean(root.current?.contains(focus) || focus.closest('[data-testid="history-panel"]'));
      if (event.key === 'Escape' && ours && !document.querySelector('dialog[open]')) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  async function restoreFile() {
    setRestoring(true);
    setRestoreError(null);
    try {
      const result = await restoreSnapshot(projectId, snapshot.id, entry.path);
      onRestored({ ...result, path: entry.path });
      await fetchBoth();
    } catch (error) {
      setRestoreError(errorText(error, 'The restore failed'));
    } finally {
      setRestoring(false);
    }
  }

  const inSnapshot = entry.status !== 'added';
  const same = load.status === 'ready' && load.before === load.after;
  // A NUL byte means binary: Monaco would show noise, so say it instead.
  const binary = load.status === 'ready' && [load.before, load.after].some((text) => text?.includes('\u0000'));
  return (
    <div
      ref={root}
      className="flex h-full flex-col bg-surface"
      data-testid="snapshot-diff-view"
      data-path={entry.path}
      data-status={load.status}
      data-same={String(same)}
    >
      <div className="flex h-8 shrink-0 items-center gap-2 border-b border-edge bg-panel-2 pl-3 pr-1 text-xs">
        <span className="min-w-0 flex-1 truncate">
          <span className="font-medium text-gray-100">{entry.path}</span>
          <span className="text-muted">
            {' '}
            · {snapshotTitle(snapshot)},{' '}
            <span title={absoluteTime(snapshot.createdAt)}>{relativeTime(snapshot.createdAt)}</span> → now
          </span>
        </span>
        <Button
          variant="primary"
          className="!px-2 !py-0.5 !text-xs"
          disabled={!inSnapshot || restoring || same}
          title={
            inSnapshot
              ? 'Put this file back as it was in the snapshot (a safety snapshot is taken first)'
              : 'This file did not exist then; restore the whole project to remove it'
          }
          onClick={() => void restoreFile()}
          data-testid="restore-file"
        >
          {restoring ? 'Restoring…' : 'Restore this file'}
        </Button>
        <button
          type="button"
          className="flex h-6 w-6 items-center justify-center rounded text-muted hover:bg-surface hover:text-gray-100"
          aria-label="Close the comparison (Escape)"
          title="Close (Escape)"
          onClick={onClose}
          data-testid="close-diff"
        >
          ✕
        </button>
      </div>
      <div className="flex shrink-0 border-b border-edge text-[11px] uppercase tracking-wide text-muted">
        <span className="flex-1 px-3 py-1">{inSnapshot ? 'In the snapshot' : 'Not in the snapshot'}</span>
        <span className="flex-1 px-3 py-1">
          {same ? (
            <span className="normal-case tracking-normal text-green-400">Now identical to the snapshot</span>
          ) : entry.status === 'deleted' && load.status === 'ready' && load.after === null ? (
            'Deleted since'
          ) : (
            'Now'
          )}
        </span>
      </div>
      {restoreError ? (
        <p role="alert" className="shrink-0 border-b border-edge bg-danger/10 px-3 py-1.5 text-xs text-danger">
          {restoreError}
        </p>
      ) : null}
      <div className="min-h-0 flex-1">
        {load.status === 'loading' ? (
          <p className="p-4 text-center text-xs text-muted">Loading both versions…</p>
        ) : null}
        {load.status === 'error' ? (
          <p role="alert" className="p-4 text-center text-sm text-danger">
            {load.message}
          </p>
        ) : null}
        {/* A fresh diff widget per load: updating the models in place left stale change marks. */}
        {binary ? (
          <p className="p-4 text-center text-sm text-muted">
            {entry.path} is a binary file: no text comparison.{' '}
            {same ? 'It matches the snapshot.' : 'It differs from the snapshot.'}
          </p>
        ) : null}
        {load.status === 'ready' && !binary ? (
          <SnapshotDiff key={load.version} path={entry.path} before={load.before ?? ''} after={load.after ?? ''} />
        ) : null}
      </div>
    </div>
  );
}
