'use client';
// A project's exports (dashboard → Exports): download what changed since one of its snapshots (a
// changes bundle, to apply on a Berth whose copy has that snapshot), apply such a bundle made
// elsewhere to this project, and the export history — which kind, who, when, how big.
import { useCallback, useEffect, useRef, useState } from 'react';
import { formatBytes, type ExportRecordDto, type SnapshotDto } from '@/server/contracts';
import { snapshotTitle } from '../ide/history/format';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { applyChangesBundle, changesBundleUrl, exportKindLabel, listExports, listSnapshots } from './exports-api';
import { relativeTime } from './relative-time';

type Loaded =
  | { status: 'loading' }
  | { status: 'ready'; exports: ExportRecordDto[]; snapshots: SnapshotDto[] }
  | { status: 'failed'; message: string };

type Applying =
  | { status: 'idle' }
  | { status: 'applying'; fileName: string }
  | { status: 'applied'; message: string }
  | { status: 'refused'; message: string };

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The "Exports" action of a project row, with its dialog. */
export function ExportsButton({
  projectId,
  projectName,
  className,
}: {
  projectId: string;
  projectName: string;
  className: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className={className}
        onClick={() => setOpen(true)}
        aria-label={`Exports of ${projectName}`}
        title="Changes bundles and the export history"
        data-testid="project-exports"
      >
        Exports
      </button>
      {open ? <ExportsDialog projectId={projectId} projectName={projectName} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function ExportsDialog({
  projectId,
  projectName,
  onClose,
}: {
  projectId: string;
  projectName: string;
  onClose(): void;
}) {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [since, setSince] = useState<string>('');
  const [applying, setApplying] = useState<Applying>({ status: 'idle' });
  const fileInput = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    try {
      const [{ exports }, snapshots] = await Promise.all([listExports(projectId), listSnapshots(projectId)]);
      setLoaded({ status: 'ready', exports, snapshots });
      setSince((current) => (snapshots.some((s) => s.id === current) ? current : (snapshots[0]?.id ?? '')));
    } catch (error) {
      setLoaded({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  }, [projectId]);

  useEffect(() => {
    void load();
  }, [load]);

  const apply = async (file: File) => {
    setApplying({ status: 'applying', fileName: file.name });
    try {
      const result = await applyChangesBundle(projectId, file);
      setApplying({
        status: 'applied',
        message:
          `Applied ${plural(result.snapshotsAdded, 'snapshot')} and ${plural(result.conversationsAdded, 'conversation')}.` +
          (result.safetySnapshotId ? ' The project as it was is kept as a safety snapshot: restore it to undo.' : ''),
      });
      await load();
    } catch (error) {
      setApplying({
        status: 'refused',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  };

  const snapshots = loaded.status === 'ready' ? loaded.snapshots : [];
  return (
    <Dialog open onClose={onClose} title={`Exports of ${projectName}`} testId="exports-dialog">
      <section className="space-y-2">
        <h3 className="text-sm font-medium">Changes since a snapshot</h3>
        <p className="text-xs text-muted">
          A bundle of only what changed after the snapshot, for a copy of this project that has it (on this or another
          Berth).
        </p>
        <div className="flex gap-2">
          <select
            aria-label="Base snapshot"
            data-testid="exports-since"
            className="min-w-0 flex-1 rounded border border-edge bg-panel-2 px-2 py-1 text-sm"
            value={since}
            disabled={snapshots.length === 0}
            onChange={(event) => setSince(event.target.value)}
          >
            {snapshots.length === 0 ? <option value="">No snapshots yet</option> : null}
            {snapshots.map((snapshot) => (
              <option key={snapshot.id} value={snapshot.id}>
                {snapshotTitle(snapshot)} · {new Date(snapshot.createdAt).toLocaleString()}
              </option>
            ))}
          </select>
          {since ? (
            <a
              href={changesBundleUrl(projectId, since)}
              download
              className="inline-flex items-center rounded-md border border-edge bg-panel-2 px-3 py-1 text-sm font-medium hover:bg-edge"
              data-testid="exports-download-changes"
            >
              Download
            </a>
          ) : null}
        </div>
      </section>

      <section className="space-y-2">
        <h3 className="text-sm font-medium">Apply a changes bundle</h3>
        <div className="flex items-center gap-2">
          <Button
            type="button"
            variant="secondary"
            disabled={applying.status === 'applying'}
            onClick={() => fileInput.current?.click()}
            data-testid="exports-apply"
          >
            {applying.status === 'applying' ? `Applying ${applying.fileName}…` : 'Choose a .berth.zip…'}
          </Button>
          <input
            ref={fileInput}
            type="file"
            accept=".zip,application/zip"
            className="hidden"
            data-testid="exports-apply-input"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = ''; // the same file can be picked again
              if (file) void apply(file);
            }}
          />
        </div>
        {applying.status === 'applied' || applying.status === 'refused' ? (
          <p
            role={applying.status === 'refused' ? 'alert' : 'status'}
            data-testid="exports-apply-result"
            data-status={applying.status}
            className={`text-xs ${applying.status === 'refused' ? 'text-danger' : 'text-muted'}`}
          >
            {applying.message}
          </p>
        ) : null}
      </section>

      <section className="space-y-2">
        <div className="flex items-center justify-between">
          <h3 className="text-sm font-medium">History</h3>
          <button
            type="button"
            className="text-xs text-muted underline"
            onClick={() => void load()}
            data-testid="exports-refresh"
          >
            Refresh
          </button>
        </div>
        <ExportHistoryList loaded={loaded} />
      </section>

      <div className="flex justify-end">
        <Button type="button" variant="secondary" onClick={onClose}>
          Close
        </Button>
      </div>
    </Dialog>
  );
}

function ExportHistoryList({ loaded }: { loaded: Loaded }) {
  switch (loaded.status) {
    case 'loading':
      return (
        <p className="text-xs text-muted" data-testid="export-history" data-status="loading">
          Loading…
        </p>
      );
    case 'failed':
      return (
        <p role="alert" className="text-xs text-danger" data-testid="export-history" data-status="failed">
          {loaded.message}
        </p>
      );
    case 'ready':
      if (loaded.exports.length === 0)
        return (
          <p className="text-xs text-muted" data-testid="export-history" data-status="empty">
            Not exported yet.
          </p>
        );
      return (
        <ul
          className="max-h-48 divide-y divide-edge overflow-y-auto rounded border border-edge text-xs"
          data-testid="export-history"
          data-status="ready"
        >
          {loaded.exports.map((row) => (
            <li key={row.id} className="flex gap-2 px-2 py-1.5" data-testid="export-history-row" data-kind={row.kind}>
              <span className="w-28 shrink-0 font-medium">{exportKindLabel[row.kind]}</span>
              <span className="min-w-0 flex-1 truncate text-muted" title={row.user.email}>
                {row.user.name || row.user.email}
              </span>
              <span className="shrink-0 text-muted" title={new Date(row.createdAt).toLocaleString()}>
                {relativeTime(row.createdAt)}
              </span>
              <span className="w-16 shrink-0 text-right text-muted">
                {row.bytes === null ? '' : formatBytes(row.bytes)}
              </span>
            </li>
          ))}
        </ul>
      );
  }
}
