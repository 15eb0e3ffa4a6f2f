'use client';
// The project's git status for the Source Control panel (and the tab's badge): fetched when the
// workspace runs and after each reconnect, again on 'git:changed' (any tab's git action) and on
// 'fs:changed' (an edit in the editor or the terminal), debounced. 'git:progress' pushes are
// handed to whoever subscribes (the sync bar, while its fetch/pull/push runs), so only it re-renders.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GitProgressDto, GitStatusDto } from '@/server/contracts';
import { errorText } from '../history/snapshots-api';
import type { WorkbenchSocket } from '../workbench-socket';
import { gitStatus } from './git-api';
import { followDiff, type GitDiffTarget } from './git-view';

const FS_DEBOUNCE_MS = 300;

export function useGitStatus(socket: WorkbenchSocket | null, projectId: string, epoch: number, running: boolean) {
  const [status, setStatus] = useState<GitStatusDto | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  // Counts status updates: an open diff reads its file again on each.
  const [version, setVersion] = useState(0);
  // Only the newest request's answer counts: a slow one must not overwrite a newer status.
  const seq = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const next = await gitStatus(projectId);
      if (mine !== seq.current) return;
      setStatus(next);
      setVersion((value) => value + 1);
      setLoadError(null);
    } catch (error) {
      if (mine !== seq.current) return;
      setLoadError(errorText(error, 'Could not read the git status'));
    }
  }, [projectId]);

  /** An action that answered with the new status (stage, unstage, discard, checkout, init). */
  const accept = useCallback((next: GitStatusDto) => {
    seq.current++;
    setStatus(next);
    setVersion((value) => value + 1);
    setLoadError(null);
  }, []);

  useEffect(() => {
    if (running) void refresh();
  }, [running, epoch, refresh]);

  useEffect(() => {
    if (!socket || !running) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onGit = (payload: { projectId: string }) => {
      if (payload.projectId === projectId) void refresh();
    };
    const onFs = (payload: { projectId: string }) => {
      if (payload.projectId !== projectId) return;
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), FS_DEBOUNCE_MS);
    };
    socket.on('git:changed', onGit);
    socket.on('fs:changed', onFs);
    return () => {
      clearTimeout(timer);
      socket.off('git:changed', onGit);
      socket.off('fs:changed', onFs);
    };
  }, [socket, projectId, running, refresh]);

  /** Calls `listener` with each of the project's 'git:progress' pushes until the returned function is called. */
  const onProgress = useCallback(
    (listener: (progress: GitProgressDto) => void) => {
      if (!socket) return () => undefined;
      const handler = (progress: GitProgressDto) => {
        if (progress.projectId === projectId) listener(progress);
      };
      socket.on('git:progress', handler);
      return () => void socket.off('git:progress', handler);
    },
    [socket, projectId],
  );

  return { status, version, loadError, refresh, accept, onProgress };
}

export type GitStatusState = ReturnType<typeof useGitStatus>;

/** What the panel and the editor area share: the diff on screen, which follows the status. */
export function useGitView(status: GitStatusDto | null) {
  const [diff, setDiff] = useState<GitDiffTarget | null>(null);
  useEffect(() => {
    if (status?.initialized) setDiff((current) => (current ? followDiff(status, current) : current));
    else if (status) setDiff(null);
  }, [status]);
  return { diff, setDiff };
}

export type GitView = ReturnType<typeof useGitView>;
