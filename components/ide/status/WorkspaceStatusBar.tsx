'use client';
// The status bar: connection, workspace state (and why it is still up, or when it stops),
// with Start/Stop, and a clear message when the Docker engine is unreachable.
import { useEffect, useState } from 'react';
import type { SnapshotStatusDto, WorkspaceStatusDto } from '@/server/contracts';
import { connectionLabel, type Connection } from '../connection-state';
import { call, type WorkbenchSocket } from '../workbench-socket';
import { ConnectionNotice } from './ConnectionNotice';
import { SnapshotIndicator } from './SnapshotIndicator';
import { DiskUsageIndicator } from './DiskUsageIndicator';
import { SyncControl } from '../../sync/SyncControl';

function minutesUntil(iso: string, now: number): number {
  return Math.max(0, Math.ceil((new Date(iso).getTime() - now) / 60_000));
}

// An out-of-memory kill is news for a while, then the usual running line comes back.
const OOM_SHOWN_MS = 10 * 60_000;
const recentOom = (status: WorkspaceStatusDto | null, now: number) =>
  status?.state === 'running' && status.lastOom !== undefined && now - Date.parse(status.lastOom.at) < OOM_SHOWN_MS;

function describe(status: WorkspaceStatusDto | null, now: number): string {
  if (!status) return 'Workspace: …';
  switch (status.state) {
    case 'starting':
      return 'Starting workspace…';
    case 'stopping':
      return 'Stopping workspace…';
    case 'error':
      if (status.error?.code === 'quota_exceeded') return status.error.message; // already says what to do
      return status.error?.code === 'engine_unavailable'
        ? 'Docker engine unreachable'
        : `Workspace error: ${status.error?.message ?? 'unknown'}`;
    case 'stopped':
      if (status.lastExit) {
        const why = status.lastExit.oomKilled ? 'out of memory' : `exit ${status.lastExit.exitCode ?? '?'}`;
        return `Workspace stopped unexpectedly (${why})`;
      }
      return 'Workspace stopped';
    case 'running': {
      if (recentOom(status, now)) {
        const limit = status.lastOom!.memoryLimitMb ? ` (limit ${status.lastOom!.memoryLimitMb} MB)` : '';
        return `Workspace running · a process was killed: out of memory${limit}`;
      }
      const idle = status.idle;
      if (!idle) return 'Workspace running';
      if (idle.keptUpBy.length > 0 && !idle.stopsAt) {
        return `Workspace running · kept up by ${idle.keptUpBy.join(', ')} · stops ${idle.idleMinutes} min after the last tab closes and terminals go quiet`;
      }
      return `Workspace running · stops in ${idle.stopsAt ? minutesUntil(idle.stopsAt, now) : idle.idleMinutes} min if idle`;
    }
    default: {
      const exhaustive: never = status.state;
      return exhaustive;
    }
  }
}

export function WorkspaceStatusBar({
  socket,
  projectId,
  connection,
  workspace,
  error,
  snapshot,
  onOpenHistory,
  projectName,
}: {
  socket: WorkbenchSocket | null;
  projectId: string;
  connection: Connection;
  workspace: WorkspaceStatusDto | null;
  error: string | null;
  snapshot: SnapshotStatusDto | null;
  onOpenHistory(): void;
  /** Known once the project loaded: the sync light (or "Link…") shows then. */
  projectName?: string;
}) {
  const [now, setNow] = useState(() => Date.now());
  const [pending, setPending] = useState(false);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const state = workspace?.state;
  const act = (event: 'workspace:start' | 'workspace:stop') => {
    if (!socket) return;
    setPending(true);
    call(socket, event, { projectId }).finally(() => setPending(false));
  };
  const problem = state === 'error' || (state === 'stopped' && workspace?.lastExit) || recentOom(workspace, now);

  return (
    <footer className="flex h-6 shrink-0 items-center gap-4 border-t border-edge bg-panel-2 px-3 text-xs text-muted">
      <ConnectionNotice connection={connection} socket={socket} />
      <span data-testid="connection-status" data-status={connection.state} className="truncate">
        <span
          className={`mr-1.5 inline-block h-2 w-2 rounded-full ${connection.state === 'connected' ? 'bg-green-500' : connection.state === 'connecting' || connection.state === 'reconnecting' ? 'bg-yellow-500' : 'bg-red-500'}`}
        />
        {connectionLabel(connection)}
      </span>
      <span
        data-testid="workspace-status"
        data-status={state ?? 'unknown'}
        data-oom={recentOom(workspace, now) ? 'true' : undefined}
        className={`truncate ${problem ? 'text-danger' : ''}`}
      >
        {describe(workspace, now)}
      </span>
      <span className="flex-1" />
      {projectName !== undefined ? (
        <SyncControl projectId={projectId} projectName={projectName} place="status-bar" onOpenHistory={onOpenHistory} />
      ) : null}
      <DiskUsageIndicator workspace={workspace} />
      <SnapshotIndicator status={snapshot} onOpenHistory={onOpenHistory} />
      {error ? <span className="truncate text-danger">{error}</span> : null}
      {state === 'running' ? (
        <button
          className="rounded px-2 hover:bg-edge hover:text-gray-100 disabled:opacity-50"
          disabled={pending}
          onClick={() => act('workspace:stop')}
          data-testid="workspace-stop"
        >
          Stop workspace
        </button>
      ) : state === 'stopped' || state === 'error' ? (
        <button
          className="rounded px-2 text-accent hover:bg-edge disabled:opacity-50"
          disabled={pending}
          onClick={() => act('workspace:start')}
          data-testid="workspace-start"
        >
          {state === 'error' ? 'Retry' : 'Start workspace'}
        </button>
      ) : null}
    </footer>
  );
}
