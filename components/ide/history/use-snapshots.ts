'use client';
// One project's snapshot list and live snapshot state, shared by the History panel and the
// status bar: fetched on (re)connect and again whenever the server pushes 'snapshot:status'
// (an automatic snapshot finished or failed), or after this tab took or restored one.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SnapshotDto, SnapshotStatusDto } from '@/server/contracts';
import type { WorkbenchSocket } from '../workbench-socket';
import { errorText, listSnapshots } from './snapshots-api';

export interface Snapshots {
  list: SnapshotDto[] | null;
  loadError: string | null;
  /** The latest push, or one built from the list until a push arrives. */
  status: SnapshotStatusDto | null;
  refresh(): Promise<void>;
}

export function useSnapshots(socket: WorkbenchSocket | null, projectId: string, epoch: number): Snapshots {
  const [list, setList] = useState<SnapshotDto[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [pushed, setPushed] = useState<SnapshotStatusDto | null>(null);
  // Answers can arrive out of order: only the newest request may set the list.
  const generation = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const snapshots = await listSnapshots(projectId);
      if (mine !== generation.current) return;
      setList(snapshots);
      setLoadError(null);
    } catch (error) {
      if (mine === generation.current) setLoadError(errorText(error, 'Could not load snapshots'));
    }
  }, [projectId]);

  useEffect(() => {
    if (epoch > 0) void refresh();
  }, [refresh, epoch]);

  useEffect(() => {
    if (!socket) return;
    const onStatus = (status: SnapshotStatusDto) => {
      if (status.projectId !== projectId) return;
      setPushed(status);
      if (status.state !== 'saving') void refresh();
    };
    socket.on('snapshot:status', onStatus);
    return () => {
      socket.off('snapshot:status', onStatus);
    };
  }, [socket, projectId, refresh]);

  const newest = list?.[0]?.createdAt;
  const status: SnapshotStatusDto | null = pushed
    ? { ...pushed, lastSnapshotAt: latest(pushed.lastSnapshotAt, newest) }
    : newest
      ? { projectId, state: 'idle', lastSnapshotAt: newest }
      : null;
  return { list, loadError, status, refresh };
}

const latest = (a?: string, b?: string): string | undefined => (!a ? b : !b ? a : a > b ? a : b);
