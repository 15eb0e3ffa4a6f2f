'use client';
// Wires a GitGutter to a mounted Monaco editor: created with the editor, fetches the base again on
// 'git:changed' (stage, commit, checkout… from any tab) and when the file on screen changes on
// disk (a checkout in the terminal), disposed with the editor.
import type { Monaco } from '@monaco-editor/react';
import type { editor as MonacoEditor } from 'monaco-editor';
import { useEffect } from 'react';
import type { FileChange } from '@/server/contracts';
import type { WorkbenchSocket } from '../workbench-socket';
import { GitGutter } from './git-gutter';

const FS_DEBOUNCE_MS = 300;

export function useGitGutter(
  mounted: { editor: MonacoEditor.IStandaloneCodeEditor; monaco: Monaco } | null,
  projectId: string | undefined,
  socket: WorkbenchSocket | null | undefined,
): void {
  useEffect(() => {
    if (!mounted || !projectId) return;
    const gutter = new GitGutter(mounted.editor, mounted.monaco, projectId);
    if (!socket) return () => gutter.dispose();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onGit = (payload: { projectId: string }) => {
      if (payload.projectId === projectId) void gutter.reload();
    };
    const onFs = (payload: { projectId: string; changes: FileChange[] }) => {
      if (payload.projectId !== projectId || !payload.changes.some((change) => change.path === gutter.path)) return;
      clearTimeout(timer);
      timer = setTimeout(() => void gutter.reload(), FS_DEBOUNCE_MS);
    };
    // A reconnect may have missed a git change.
    const onReconnect = () => void gutter.reload();
    socket.on('git:changed', onGit);
    socket.on('fs:changed', onFs);
    socket.on('connect', onReconnect);
    return () => {
      clearTimeout(timer);
      socket.off('git:changed', onGit);
      socket.off('fs:changed', onFs);
      socket.off('connect', onReconnect);
      gutter.dispose();
    };
  }, [mounted, projectId, socket]);
}
