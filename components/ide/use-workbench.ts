'use client';
// Connects the workbench: one socket, the project, and its workspace's live status.
import { useEffect, useState } from 'react';
import type { ProjectDto, WorkspaceStatusDto } from '@/server/contracts';
import { call, createWorkbenchSocket, type WorkbenchSocket } from './workbench-socket';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'refused';

export interface Workbench {
  socket: WorkbenchSocket | null;
  connection: ConnectionState;
  /** Increments on every (re)connect, so views can re-attach. */
  epoch: number;
  project: ProjectDto | null;
  workspace: WorkspaceStatusDto | null;
  error: string | null;
}

export function useWorkbench(projectId: string): Workbench {
  const [socket, setSocket] = useState<WorkbenchSocket | null>(null);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [epoch, setEpoch] = useState(0);
  const [project, setProject] = useState<ProjectDto | null>(null);
  const [workspace, setWorkspace] = useState<WorkspaceStatusDto | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const client = createWorkbenchSocket();
    setSocket(client);
    client.on('connect', () => {
      setConnection('connected');
      setError(null);
      call(client, 'project:open', { projectId }).then(setProject, (cause: Error) => setError(cause.message));
      call(client, 'workspace:open', { projectId }).then(setWorkspace, (cause: Error) => setError(cause.message));
      setEpoch((value) => value + 1);
    });
    client.on('disconnect', () => setConnection('reconnecting'));
    client.on('connect_error', (cause) => setConnection(cause.message === 'unauthorized' ? 'refused' : 'reconnecting'));
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
