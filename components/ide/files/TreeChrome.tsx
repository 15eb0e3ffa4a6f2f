'use client';
// The tree's surroundings: its toolbar, the upload progress list, the delete confirmation.
import type { FileEntry } from '@/server/contracts';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import type { UploadItem } from './use-uploads';

export function TreeToolbar({
  disabled,
  onNewFile,
  onNewFolder,
  onUpload,
  onRefresh,
}: {
  disabled: boolean;
  onNewFile(): void;
  onNewFolder(): void;
  onUpload(): void;
  onRefresh(): void;
}) {
  const button =
    'flex h-6 w-6 items-center justify-center rounded text-sm text-muted hover:bg-surface hover:text-gray-100 disabled:opacity-40';
  return (
    <div className="flex h-8 shrink-0 items-center gap-0.5 border-b border-edge bg-panel-2 pl-3 pr-1">
      <span className="flex-1 text-xs font-semibold uppercase tracking-wide text-muted">Files</span>
      <button
        className={button}
        disabled={disabled}
        onClick={onNewFile}
        data-testid="new-file"
        title="New file"
        aria-label="New file"
      >
        <svg viewBox="0 0 16 16" className="h-3.5 w-3.5" fill="none" stroke="currentColor" strokeWidth="1.3">
          <path d="M9 1.5H4a1 1 0 0 0-1 1v11a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V5.5z" />
          <path d="M9 1.5v4h4M8 8v4M6 10h4" />
        </svg>
      </button>
      <button
        className={button}
        disabled={disabled}
        onClick={onNewFolder}
        data-testid="new-folder"
        title="New folder"
        aria-label="New folder"
      >
        <svg viewBox="0 0 16 16" className="h-3.5 w-3.5" fill="none" stroke="currentColor" strokeWidth="1.3">
          <path d="M1.5 4a1 1 0 0 1 1-1h3.5l1.5 1.5h6a1 1 0 0 1 1 1V12a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1z" />
          <path d="M8 7v4M6 9h4" />
        </svg>
      </button>
      <button
        className={button}
        disabled={disabled}
        onClick={onUpload}
        data-testid="upload-files"
        title="Upload files"
        aria-label="Upload files"
      >
        <svg viewBox="0 0 16 16" className="h-3.5 w-3.5" fill="none" stroke="currentColor" strokeWidth="1.3">
          <path d="M8 11V2.5M4.5 6 8 2.5 11.5 6M2.5 11v2.5h11V11" />
        </svg>
      </button>
      <button
        className={button}
        disabled={disabled}
        onClick={onRefresh}
        data-testid="refresh-tree"
        title="Refresh"
        aria-label="Refresh"
      >
        <svg viewBox="0 0 16 16" className="h-3.5 w-3.5" fill="none" stroke="currentColor" strokeWidth="1.3">
          <path d="M13.5 8A5.5 5.5 0 1 1 11.9 4.1M13.5 2v3h-3" />
        </svg>
      </button>
    </div>
  );
}

export function UploadList({ uploads, onDismiss }: { uploads: UploadItem[]; onDismiss(id: number): void }) {
  if (uploads.length === 0) return null;
  return (
    <ul className="shrink-0 border-t border-edge bg-panel-2 px-2 py-1.5 text-xs" aria-label="Uploads">
      {uploads.map((item) => (
        <li
          key={item.id}
          data-testid="upload-progress"
          data-path={item.path}
          data-status={item.status}
          className="py-0.5"
        >
          <div className="flex items-center gap-2">
            <span className="min-w-0 flex-1 truncate text-gray-300" title={item.path}>
              {item.path}
            </span>
            <span className={item.status === 'error' ? 'text-danger' : 'text-muted'}>
              {item.status === 'error'
                ? 'failed'
                : item.status === 'done'
                  ? 'done'
                  : `${Math.round(item.progress * 100)}%`}
            </span>
            {item.status === 'error' ? (
              <button
                aria-label="Dismiss"
                className="text-muted hover:text-gray-100"
                onClick={() => onDismiss(item.id)}
              >
                ×
              </button>
            ) : null}
          </div>
          <div
            className="mt-0.5 h-1 overflow-hidden rounded bg-surface"
            role="progressbar"
            aria-valuenow={Math.round(item.progress * 100)}
            aria-valuemin={0}
            aria-valuemax={100}
          >
            <div
              className={`h-full ${item.status === 'error' ? 'bg-danger' : 'bg-accent'} transition-[width]`}
              style={{ width: `${Math.round(item.progress * 100)}%` }}
            />
          </div>
          {item.error ? <p className="mt-0.5 text-danger">{item.error}</p> : null}
        </li>
      ))}
    </ul>
  );
}

export function DeleteDialog({
  entry,
  onCancel,
  onConfirm,
}: {
  entry: FileEntry | null;
  onCancel(): void;
  onConfirm(entry: FileEntry): void;
}) {
  return (
    <Dialog
      open={entry !== null}
      title={entry?.kind === 'dir' ? 'Delete folder?' : 'Delete file?'}
      onClose={onCancel}
      testId="delete-file-dialog"
    >
      {entry ? (
        <>
          <p className="text-sm text-gray-300">
            <span className="font-mono text-gray-100">{entry.path}</span>
            {entry.kind === 'dir' ? ' and everything in it' : ''} will be deleted from the workspace. This cannot be
            undone.
          </p>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={onCancel}>
              Cancel
            </Button>
            <Button variant="danger" autoFocus onClick={() => onConfirm(entry)} data-testid="confirm-delete">
              Delete
            </Button>
          </div>
        </>
      ) : null}
    </Dialog>
  );
}
