'use client';
// Fetch, Pull (↓ behind) and Push (↑ ahead) for the current branch. While one runs its button
// spins and says so ("Pushing…"), git's progress shows under the buttons (SyncProgress), and
// every git action in the panel waits (the panel's busy).
import type { GitStatusDto } from '@/server/contracts';
import { SyncProgress, type SubscribeToProgress } from './SyncProgress';

export type SyncAction = 'fetch' | 'pull' | 'push';

const labels: Record<SyncAction, { idle: string; running: string }> = {
  fetch: { idle: 'Fetch', running: 'Fetching…' },
  pull: { idle: 'Pull', running: 'Pulling…' },
  push: { idle: 'Push', running: 'Pushing…' },
};

function titleFor(action: SyncAction, status: GitStatusDto): string {
  switch (action) {
    case 'fetch':
      return 'Fetch from the remote';
    case 'pull':
      return `Pull ${status.upstream ?? 'the remote branch'} into ${status.branch ?? 'HEAD'}`;
    case 'push':
      return `Push ${status.branch ?? 'HEAD'} to ${status.upstream ?? 'origin'}`;
  }
}

export function Spinner() {
  return (
    <span
      aria-hidden
      className="inline-block h-3 w-3 animate-spin rounded-full border-2 border-current border-t-transparent"
    />
  );
}

export function SyncBar({
  status,
  busy,
  syncing,
  onSync,
  onProgress,
}: {
  status: GitStatusDto;
  busy: boolean;
  syncing: SyncAction | null;
  onSync(action: SyncAction): void;
  onProgress: SubscribeToProgress;
}) {
  return (
    <div className="mt-1" data-testid="git-sync" aria-busy={syncing !== null}>
      <div className="flex items-center gap-1">
        {(['fetch', 'pull', 'push'] as const).map((action) => (
          <button
            key={action}
            type="button"
            // The running one takes the room its longer label needs; the others wait, disabled.
            className={`flex h-6 min-w-0 items-center justify-center gap-1 whitespace-nowrap rounded border text-xs hover:bg-surface disabled:opacity-40 ${
              syncing === action
                ? 'flex-[2] border-accent text-gray-100 disabled:opacity-100'
                : 'flex-1 border-edge text-gray-300'
            }`}
            disabled={busy || !status.head}
            title={titleFor(action, status)}
            onClick={() => onSync(action)}
            data-testid={`git-${action}`}
            data-running={syncing === action}
          >
            {syncing === action ? <Spinner /> : null}
            {syncing === action ? labels[action].running : labels[action].idle}
            {action === 'pull' && status.behind > 0 ? <span className="text-muted">↓{status.behind}</span> : null}
            {action === 'push' && status.ahead > 0 ? <span className="text-muted">↑{status.ahead}</span> : null}
          </button>
        ))}
      </div>
      {syncing ? <SyncProgress key={syncing} action={syncing} onProgress={onProgress} /> : null}
    </div>
  );
}
