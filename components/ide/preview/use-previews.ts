'use client';
// The listening ports' preview URLs: fetched when the workspace runs, whenever the server says a
// port opened or closed ('preview:changed', from the agent's port scan), after the socket
// reconnects, and every 30 s as a safety net (URLs expire and rotate) while the page is visible.
import { useCallback, useEffect, useState } from 'react';
import type { PreviewDto } from '@/server/contracts/preview';
import { api } from '../../api-client';
import type { WorkbenchSocket } from '../workbench-socket';

const SAFETY_POLL_MS = 30_000;

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === 'visible');
    update();
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
}

export function usePreviews(socket: WorkbenchSocket | null, projectId: string, running: boolean) {
  const [previews, setPreviews] = useState<PreviewDto[] | null>(null);
  const visible = usePageVisible();

  useEffect(() => {
    if (!running) {
      setPreviews(null);
      return;
    }
    if (!visible) return;
    let active = true;
    // One fetch at a time; a push during a fetch asks for one more after it.
    let inFlight = false;
    let again = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = async () => {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      clearTimeout(timer);
      try {
        const list = await api<PreviewDto[]>(`/projects/${projectId}/previews`);
        if (active) setPreviews(list);
      } catch {
        // A failed fetch keeps the last answer; the next push or the safety poll tries again.
      } finally {
        inFlight = false;
      }
      if (!active) return;
      if (again) {
        again = false;
        void refresh();
      } else timer = setTimeout(() => void refresh(), SAFETY_POLL_MS);
    };
    const onChanged = (payload: { projectId: string }) => {
      if (payload.projectId === projectId) void refresh();
    };
    const onConnect = () => void refresh();
    socket?.on('preview:changed', onChanged);
    socket?.on('connect', onConnect);
    void refresh();
    return () => {
      active = false;
      clearTimeout(timer);
      socket?.off('preview:changed', onChanged);
      socket?.off('connect', onConnect);
    };
  }, [socket, projectId, running, visible]);

  /** Replaces one port's preview at once (after a revoke), before the next fetch. */
  const replace = useCallback((fresh: PreviewDto) => {
    setPreviews((list) => (list ?? []).map((item) => (item.port === fresh.port ? fresh : item)));
  }, []);

  return { previews, replace };
}
