'use client';
// Connects the workbench: one socket, the project, and its workspace's live status.
import { useEffect, useState } from 'react';
import type { AuthOptionsDto, ProjectDto, WorkspaceStatusDto } from '@/server/contracts';
import { classifyConnectError, isOtherOrigin, refusalMessage, type Connection } from './connection-state';
import { call, createWorkbenchSocket, type WorkbenchSocket } from './workbench-socket';

export type { Connection, ConnectionState } from './connection-state';

export interface Workbench {
  socket: WorkbenchSocket | null;
  connection: Connection;
  /** Increments on every (re)connect, so views can re-attach. */
  epoch: number;
  project: ProjectDto | null;
  workspace: WorkspaceStatusDto | null;
  error: string | null;
}

/**
 * BERTH_URL when the page is open at another origin (its socket is then always refused), null
 * when it is Berth's own, undefined when Berth did not answer (ask again at the next failure).
 */
async function otherBerthUrl(): Promise<string | null | undefined> {
  const response = await fetch('/api/v1/auth/options', { credentials: 'same-origin' }).catch(() => null);
  if (!response?.ok) return undefined;
  const options = (await response.json().catch(() => null)) as AuthOptionsDto | null;
  if (!options) return undefined;
  return options.berthUrl && isOtherOrigin(window.location.origin, options.berthUrl) ? options.berthUrl : null;
}

export function useWorkbench(projectId: string): Workbench {
  const [socket, setSocket] = useState<WorkbenchSocket | null>(null);
  const [connection, setConnection] = useState<Connection>({ state: 'connecting' });
  const [epoch, setEpoch] = useState(0);
  const [project, setProject] = useState<ProjectDto | null>(null);
  const [workspace, setWorkspace] = useState<WorkspaceStatusDto | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const client = createWorkbenchSocket();
    setSocket(client);
    let originChecked = false;
    let originChecking = false;
    client.on('connect', () => {
      setConnection({ state: 'connected' });
      setError(null);
      call(client, 'project:open', { projectId }).then(setProject, (cause: Error) => setError(cause.message));
      call(client, 'workspace:open', { projectId }).then(setWorkspace, (cause: Error) => setError(cause.message));
      setEpoch((value) => value + 1);
    });
    client.on('disconnect', () =>
      setConnection((current) => (current.state === 'ended' ? current : { state: 'reconnecting' })),
    );
    client.on('connect_error', (cause) => {
      const kind = classifyConnectError(cause);
      switch (kind) {
        case 'unauthorized':
          return setConnection({ state: 'refused' });
        case 'too_many':
          return setConnection({ state: 'too_many', message: refusalMessage(cause) });
        case 'origin':
        case 'unknown':
          setConnection((current) => (current.state === 'wrong_origin' ? current : { state: 'reconnecting' }));
          // A refusal for the page's origin looks like any network error: ask once where Berth lives.
          if (originChecking || originChecked) return;
          originChecking = true;
          void otherBerthUrl().then((berthUrl) => {
            originChecking = false;
            originChecked = berthUrl !== undefined;
            if (!berthUrl) return;
            client.disconnect(); // it would be refused forever
            setConnection({ state: 'wrong_origin', berthUrl });
          });
          return;
        default: {
          const exhaustive: never = kind;
          return exhaustive;
        }
      }
    });
    // The session was signed out elsewhere ("Sign out everywhere", a password change): sign in again.
    client.on('session:ended', ({ reason }) => {
      setConnection({ state: 'ended', message: reason });
      window.location.href = `/signin?callbackUrl=${encodeURIComponent(window.location.pathname)}`;
    });
    client.on('project:updated', (updated) => {
      if (updated.id === projectId) setProject(updated);
    });
    client.on('workspace:status', (status) => {
      if (status.projectId === projectId) setWorkspace(status);
    });
    return () => {
      client.removeAllListeners();
      client.disconnect();
    };
  }, [projectId]);

  return { socket, connection, epoch, project, workspace, error };
}
