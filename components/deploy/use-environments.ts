'use client';
// A project's environments while the Deploy dialog is open: read on open, after each action, and
// every few seconds while the page is visible (the serving container's health changes by itself).
import { useCallback, useEffect, useRef, useState } from 'react';
import { listEnvironments, type EnvironmentView } from './deploy-api';
import { deployErrorText } from './deploy-format';

const POLL_MS = 5000;

export function useEnvironments(projectId: string, open: boolean) {
  const [list, setList] = useState<EnvironmentView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  // Only the newest request's answer counts.
  const seq = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const next = await listEnvironments(projectId);
      if (mine !== seq.current) return;
      setList(next);
      setLoadError(null);
    } catch (error) {
      if (mine === seq.current) setLoadError(deployErrorText(error, 'Could not load the environments'));
    }
  }, [projectId]);

  /** An action answered with the environment as it is now. */
  const accept = useCallback((env: EnvironmentView) => {
    seq.current++;
    setList((current) => {
      if (!current) return [env];
      return current.some((item) => item.name === env.name)
        ? current.map((item) => (item.name === env.name ? env : item))
        : [...current, env];
    });
  }, []);

  useEffect(() => {
    if (!open) return;
    void refresh();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [open, refresh]);

  return { list, loadError, refresh, accept };
}

export type Environments = ReturnType<typeof useEnvironments>;
