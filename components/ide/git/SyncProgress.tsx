'use client';
// Git's own progress under the sync buttons while a fetch, pull or push runs ('git:progress'
// pushes: "Writing objects 45%"), as a bar when git counts towards a total. Mounted for one run:
// it starts empty ("Starting…") and is gone when the run ends.
import { useEffect, useState } from 'react';
import type { GitProgressDto } from '@/server/contracts';
import type { SyncAction } from './SyncBar';

export type SubscribeToProgress = (listener: (progress: GitProgressDto) => void) => () => void;

export function SyncProgress({ action, onProgress }: { action: SyncAction; onProgress: SubscribeToProgress }) {
  const [progress, setProgress] = useState<GitProgressDto | null>(null);
  useEffect(
    () =>
      onProgress((next) => {
        if (next.operation === action) setProgress(next);
      }),
    [action, onProgress],
  );
  const percent = progress?.percent;
  return (
    <div
      className="mt-1 flex flex-col gap-0.5"
      data-testid="git-sync-progress"
      data-phase={progress?.phase ?? ''}
      data-percent={percent ?? ''}
      title={progress?.text}
    >
      <div className="flex items-center gap-2 text-[11px] text-muted">
        <span className="min-w-0 flex-1 truncate" data-testid="git-sync-phase">
          {progress ? progress.phase : 'Starting…'}
        </span>
        {percent !== undefined ? <span className="tabular-nums">{percent}%</span> : null}
      </div>
      <div
        className="h-1 overflow-hidden rounded bg-edge"
        role="progressbar"
        aria-label={progress ? progress.phase : 'Starting'}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        {/* Without a total (counting, enumerating) the bar pulses instead of filling. */}
        <div
          className={`h-full rounded bg-accent transition-[width] duration-100 ${percent === undefined ? 'w-full animate-pulse opacity-40' : ''}`}
          style={percent === undefined ? undefined : { width: `${percent}%` }}
        />
      </div>
    </div>
  );
}
