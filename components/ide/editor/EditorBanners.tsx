'use client';
// Banners above the editor: a conflict with the disk, a lock someone holds, read-only files,
// a failed save.
import { ASSISTANT_LOCK_HOLDER, type FileLockDto } from '@/server/contracts';
import { LockIcon } from '../files/file-icons';
import type { EditorTab } from './editor-types';

const bar = 'flex shrink-0 items-center gap-3 border-b px-3 py-1.5 text-xs';
const action = 'rounded border px-2 py-0.5 font-medium hover:bg-white/10';

export function ConflictBanner({
  tab,
  comparing,
  onKeepMine,
  onTakeTheirs,
  onCompare,
}: {
  tab: EditorTab;
  comparing: boolean;
  onKeepMine(): void;
  onTakeTheirs(): void;
  onCompare(): void;
}) {
  const conflict = tab.conflict;
  if (!conflict) return null;
  const message =
    conflict.reason === 'deleted'
      ? 'This file was deleted on disk. Keep mine writes it again; Take theirs closes it.'
      : conflict.reason === 'save'
        ? 'Not saved: the file changed on disk since you opened it.'
        : 'This file changed on disk while you have unsaved changes.';
  return (
    <div
      role="alert"
      data-testid="conflict-banner"
      data-reason={conflict.reason}
      className={`${bar} border-amber-500/40 bg-amber-500/10 text-amber-200`}
    >
      <span className="flex-1">{message}</span>
      <button className={`${action} border-amber-400/50`} data-testid="conflict-keep-mine" onClick={onKeepMine}>
        Keep mine
      </button>
      <button className={`${action} border-amber-400/50`} data-testid="conflict-take-theirs" onClick={onTakeTheirs}>
        Take theirs
      </button>
      {conflict.content !== null ? (
        <button
          className={`${action} border-amber-400/50 ${comparing ? 'bg-white/10' : ''}`}
          data-testid="conflict-compare"
          onClick={onCompare}
        >
          {comparing ? 'Hide compare' : 'Compare'}
        </button>
      ) : null}
    </div>
  );
}

export function LockBanner({ lock }: { lock: FileLockDto }) {
  const until = new Date(lock.expiresAt).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return (
    <div data-testid="lock-banner" className={`${bar} border-sky-500/40 bg-sky-500/10 text-sky-200`}>
      <span data-testid="lock-marker">
        <LockIcon className="h-3.5 w-3.5" />
      </span>
      {lock.holder === ASSISTANT_LOCK_HOLDER ? (
        <span>
          <strong>Assistant is editing</strong> this file. Read-only until its turn ends (Stop it in the Assistant
          panel).
        </span>
      ) : (
        <span>
          Locked by <strong>{lock.holder}</strong> until {until}. Read-only until then.
        </span>
      )}
    </div>
  );
}

export function ReadOnlyBanner({ size }: { size: number }) {
  return (
    <div data-testid="readonly-banner" className={`${bar} border-edge bg-panel-2 text-muted`}>
      This file is large ({(size / 1024 / 1024).toFixed(1)} MB) and opened read-only.
    </div>
  );
}

export function SaveErrorBanner({ message, onRetry }: { message: string; onRetry(): void }) {
  return (
    <div role="alert" data-testid="save-error" className={`${bar} border-danger/40 bg-danger/15 text-danger`}>
      <span className="flex-1">Could not save: {message}</span>
      <button className={`${action} border-danger/50`} onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}
