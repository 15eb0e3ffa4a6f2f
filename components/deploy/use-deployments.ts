'use client';
// One environment's deployment history (newest first), read when the environment changes and
// whenever the caller asks (a deployment started, ended or was rolled back).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DeploymentSummaryDto } from '@/server/contracts';
import { listDeployments } from './deploy-api';
import { deployErrorText } from './deploy-format';

export function useDeployments(projectId: string, env: string | null) {
  const [list, setList] = useState<DeploymentSummaryDto[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const seq = useRef(0);

  const refresh = useCallback(async () => {
    if (!env) return;
    const mine = ++seq.current;
    try {
      const next = await listDeployments(projectId, env);
      if (mine !== seq.current) return;
      setList(next);
      setLoadError(null);
    } catch (error) {
      if (mine === seq.current) setLoadError(deployErrorText(error, 'Could not load the history'));
    }
  }, [projectId, env]);

  useEffect(() => {
    setList(null);
    void refresh();
  }, [refresh]);

  return { list, loadError, refresh };
}

export type Deployments = ReturnType<typeof useDeployments>;
