'use client';
// A project's sync entry, in the workbench's status bar and on its dashboard row: "Link…" when it
// has no link, else the sync light (🟢 synced · 🟡 N changes waiting · 🔴 N conflicts · ⚫ error,
// the reason in the tooltip, "last synced 3 min ago") that opens the Sync dialog, and ⚙ for the
// link's settings. The status is polled at a modest rate (useSyncStatus) and read again after a sync.
import { useEffect, useState } from 'react';
import type { SyncStatus } from '@/server/contracts';
import { LinkDialog } from './LinkDialog';
import { syncLight, type SyncLightView } from './sync-format';
import { SyncDialog } from './SyncDialog';
import { useLink } from './use-link';
import { useSyncStatus } from './use-sync-status';

type Place = 'status-bar' | 'row';

/** The light itself: 🟢 synced · 🟡 changes waiting · 🔴 conflicts · ⚫ error (a dot, not an emoji font). */
const dot: Record<SyncStatus | 'running' | 'loading', string> = {
  synced: 'bg-green-500',
  pending: 'bg-yellow-400',
  conflict: 'bg-red-500',
  error: 'bg-black ring-1 ring-gray-400',
  running: 'animate-pulse bg-accent',
  loading: 'bg-edge',
};

const styles: Record<Place, { light: string; link: string; gear: string }> = {
  'status-bar': {
    light: 'truncate rounded px-1 hover:bg-edge',
    link: 'truncate rounded px-1 hover:bg-edge hover:text-gray-100',
    gear: 'rounded px-1 hover:bg-edge hover:text-gray-100',
  },
  row: {
    light: 'max-w-[16rem] truncate rounded-md px-2 py-1.5 text-xs hover:bg-panel-2',
    link: 'rounded-md px-2 py-1.5 text-sm font-medium text-gray-300 hover:bg-panel-2',
    gear: 'rounded-md px-1.5 py-1.5 text-xs text-muted hover:bg-panel-2 hover:text-gray-100',
  },
};

export function SyncControl({
  projectId,
  projectName,
  place,
  enabled = true,
  pollMs = 30_000,
  onOpenHistory,
}: {
  projectId: string;
  projectName: string;
  place: Place;
  /** false: nothing is read or shown (the dashboard, when the user has no remotes). */
  enabled?: boolean;
  pollMs?: number;
  onOpenHistory?: () => void;
}) {
  const { link, setLink, error: linkError, reload: reloadLink } = useLink(projectId, enabled);
  const linked = enabled && Boolean(link);
  const sync = useSyncStatus(projectId, linked, pollMs);
  const [linking, setLinking] = useState(false);
  const [syncing, setSyncing] = useState(false);
  const [running, setRunning] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  // "3 min ago" moves on between polls.
  useEffect(() => {
    if (!linked) return;
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, [linked]);
  useEffect(() => setNow(Date.now()), [sync.status]);

  if (!enabled) return null;
  const style = styles[place];
  // The link could not be read (database down, signed out): say so, and let a click try again.
  if (link === undefined)
    return linkError ? (
      <button
        type="button"
        className={`${style.link} text-danger`}
        onClick={() => void reloadLink()}
        title={`The sync link could not be read: ${linkError} — click to try again`}
        data-testid="sync-link-error"
      >
        {place === 'row' ? 'Sync?' : '⇅ Sync unavailable'}
      </button>
    ) : null;

  const linkDialog = (
    <LinkDialog
      projectId={projectId}
      projectName={projectName}
      link={link}
      open={linking}
      onClose={() => setLinking(false)}
      onLinked={(saved) => {
        setLink(saved);
        if (saved) void sync.refresh();
      }}
    />
  );

  if (!link) {
    return (
      <>
        <button
          type="button"
          className={style.link}
          onClick={() => setLinking(true)}
          aria-haspopup="dialog"
          aria-label={`Link ${projectName} to a remote Berth`}
          title="Keep this project in step with a project on another Berth"
          data-testid="sync-link-open"
        >
          {place === 'row' ? 'Link' : '⇅ Link…'}
        </button>
        {linkDialog}
      </>
    );
  }

  const view: SyncLightView | null = running
    ? {
        status: sync.status?.status ?? 'pending',
        text: 'Syncing…',
        short: 'Syncing…',
        tip: `Syncing with ${link.remoteName}`,
      }
    : sync.error
      ? { status: 'error', text: 'Sync error', short: 'Sync error', tip: sync.error }
      : sync.status
        ? syncLight(sync.status, now)
        : null;

  return (
    <>
      <span className={`flex items-center ${place === 'status-bar' ? 'shrink-0' : 'min-w-0'}`}>
        <button
          type="button"
          className={`${style.light} ${view?.status === 'error' ? 'text-danger' : view?.status === 'conflict' ? 'text-red-300' : ''}`}
          onClick={() => setSyncing(true)}
          aria-haspopup="dialog"
          title={`${view?.tip ?? 'Reading the sync status…'}\nWith ${link.remoteProjectName ?? 'a project'} on ${link.remoteName} — click to sync`}
          data-testid="sync-light"
          data-status={running ? 'running' : (view?.status ?? 'loading')}
          data-pending={sync.status?.pendingChanges ?? ''}
        >
          <span
            aria-hidden
            className={`mr-1.5 inline-block h-2 w-2 rounded-full ${dot[running ? 'running' : (view?.status ?? 'loading')]}`}
          />
          <span data-testid="sync-light-text">{(place === 'row' ? view?.text : view?.short) ?? 'Sync…'}</span>
        </button>
        <button
          type="button"
          className={style.gear}
          onClick={() => setLinking(true)}
          aria-haspopup="dialog"
          aria-label={`Sync settings of ${projectName}`}
          title="Sync settings: remote, automatic sync, unlink"
          data-testid="sync-settings-open"
        >
          ⚙
        </button>
      </span>
      {linkDialog}
      <SyncDialog
        projectId={projectId}
        projectName={projectName}
        link={link}
        waiting={sync.status?.conflicts ?? []}
        open={syncing}
        onClose={() => setSyncing(false)}
        onStarted={() => setRunning(true)}
        onSynced={() => {
          setRunning(false);
          void sync.refresh();
        }}
        onOpenHistory={
          onOpenHistory
            ? () => {
                setSyncing(false);
                onOpenHistory();
              }
            : undefined
        }
      />
    </>
  );
}
