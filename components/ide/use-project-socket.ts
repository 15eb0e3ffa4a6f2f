'use client';
// One typed Socket.IO client per mounted workbench (no module singleton): connects, opens
// the project (ownership is checked again on the server) and reports connection state.
import { useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ProjectDto, ServerToClientEvents } from '@/server/contracts';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'refused';
export type WorkbenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function useProjectSocket(projectId: string, onProject: (project: ProjectDto) => void) {
  const [state, setState] = useState<ConnectionState>('connecting');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // WebSocket only: browsers always send Origin on it, which the server checks exactly.
    const socket: WorkbenchSocket = io({ transports: ['websocket'], withCredentials: true });
    const open = () =>
      socket.emit('project:open', { projectId }, (result) => {
        if (result.ok) {
          setError(null);
          onProject(result.data);
        } else setError(result.error.message);
      });
    socket.on('connect', () => {
      setState('connected');
      open();
    });
    socket.on('disconnect', () => setState('reconnecting'));
    socket.on('connect_error', (cause) => setState(cause.message === 'unauthorized' ? 'refused' : 'reconnecting'));
    socket.on('project:updated', (project) => {
      if (project.id === projectId) onProject(project);
    });
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
    // onProject is a state setter from the caller; reconnecting on its identity would be wrong.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [projectId]);

  return { state, error };
}
