'use client';
// The listening ports' preview URLs, polled every second while the workspace runs and the
// page is visible (there is no push event for ports yet).
import { useCallback, useEffect, useState } from 'react';
import type { PreviewDto } from '@/server/contracts/preview';
import { api } from '../../api-client';

const POLL_MS = 1000;

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

export function usePreviews(projectId: string, running: boolean) {
  const [previews, setPreviews] = useState<PreviewDto[] | null>(null);
  const visible = usePageVisible();

  useEffect(() => {
    if (!running) {
      setPreviews(null);
      return;
    }
    if (!visible) return;
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const list = await api<PreviewDto[]>(`/projects/${projectId}/previews`);
        if (active) setPreviews(list);
      } catch {
        // A failed poll keeps the last answer; the next one tries again.
      }
      if (active) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [projectId, running, visible]);

  /** Replaces one port's preview at once (after a revoke), before the next poll. */
  const replace = useCallback((fresh: PreviewDto) => {
    setPreviews((list) => (list ?? []).map((item) => (item.port === fresh.port ? fresh : item)));
  }, []);

  return { previews, replace };
}
