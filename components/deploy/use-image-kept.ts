'use client';
// Whether each earlier successful deployment's image is still kept (only the whole deployment
// says so): read once per deployment for the History's Rollback buttons.
import { useEffect, useState } from 'react';
import type { DeploymentSummaryDto } from '@/server/contracts';
import { getDeployment } from './deploy-api';

const ROLLBACK_CANDIDATES = 10;

export function useImageKept(projectId: string, env: string, list: DeploymentSummaryDto[] | null) {
  const [kept, setKept] = useState<Record<string, boolean>>({});
  const ids = (list ?? [])
    .filter((item) => item.status === 'superseded' || item.status === 'stopped' || item.status === 'live')
    .slice(0, ROLLBACK_CANDIDATES)
    .map((item) => item.id)
    .join(',');
  useEffect(() => {
    if (!ids) return;
    let current = true;
    for (const id of ids.split(',')) {
      getDeployment(projectId, env, id).then(
        (deployment) => current && setKept((known) => ({ ...known, [id]: deployment.imageKept })),
        () => undefined,
      );
    }
    return () => {
      current = false;
    };
  }, [projectId, env, ids]);
  return kept;
}
