'use client';
// Calls back (debounced) with the paths the workspace's file watcher reported, so comparisons
// with a snapshot follow edits made in the editor or the terminal.
import { useEffect, useRef } from 'react';
import type { WorkbenchSocket } from '../workbench-socket';

export function useFsChanges(
  socket: WorkbenchSocket | null,
  projectId: string,
  enabled: boolean,
  onChange: (paths: Set<string>) => void,
  delayMs = 400,
): void {
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(() => {
    if (!socket || !enabled) return;
    let pending = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onChanged = (payload: { projectId: string; changes: { path: string }[] }) => {
      if (payload.projectId !== projectId) return;
      for (const change of payload.changes) pending.add(change.path);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const paths = pending;
        pending = new Set();
        callback.current(paths);
      }, delayMs);
    };
    socket.on('fs:changed', onChanged);
    return () => {
      clearTimeout(timer);
      socket.off('fs:changed', onChanged);
    };
  }, [socket, projectId, enabled, delayMs]);
}
