'use client';
// One deployment in the History: status, snapshot, who, when, how long; its build log on demand
// and Rollback (disabled, with the reason, when it cannot be).
import { useState } from 'react';
import type { DeploymentSummaryDto } from '@/server/contracts';
import { relativeTime } from '../dashboard/relative-time';
import { Button } from '../ui/Button';
import { formatDuration, rollbackBlocker, statusLabel, statusTone } from './deploy-format';
import { StoredBuildLog } from './StoredBuildLog';

export function DeploymentRow({
  projectId,
  env,
  deployment,
  servingId,
  imageKept,
  who,
  busy,
  onRollback,
}: {
  projectId: string;
  env: string;
  deployment: DeploymentSummaryDto;
  servingId: string | null;
  imageKept: boolean | undefined;
  who: string;
  busy: boolean;
  onRollback(): void;
}) {
  const [showLog, setShowLog] = useState(false);
  const blocker = rollbackBlocker(deployment, servingId, imageKept);
  const serving = deployment.id === servingId;
  return (
    <li
      className="flex flex-col gap-2 px-3 py-2"
      data-testid="deployment-row"
      data-deployment-id={deployment.id}
      data-status={deployment.status}
      data-serving={serving}
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <span className={`w-20 font-medium ${statusTone[deployment.status]}`}>{statusLabel[deployment.status]}</span>
        {serving ? <span className="rounded bg-emerald-500/15 px-1.5 text-xs text-emerald-400">serving</span> : null}
        {/* Ids share their leading (time) part: the end tells them apart. */}
        <span className="text-xs text-muted" title={`Snapshot ${deployment.snapshotId}`}>
          snapshot <span className="font-mono text-gray-300">…{deployment.snapshotId.slice(-7)}</span>
        </span>
        {deployment.rollbackOf ? (
          <span className="text-xs text-muted" title={deployment.rollbackOf}>
            rollback of …{deployment.rollbackOf.slice(-7)}
          </span>
        ) : null}
        <span className="text-xs text-muted" title={new Date(deployment.createdAt).toLocaleString()}>
          {who} · {relativeTime(deployment.createdAt)}
        </span>
        {deployment.durationMs !== null ? (
          <span className="text-xs tabular-nums text-muted">{formatDuration(deployment.durationMs)}</span>
        ) : null}
        <span className="ml-auto flex gap-1">
          <Button
            variant="ghost"
            className="px-2 py-1 text-xs"
            aria-expanded={showLog}
            data-testid="deployment-show-log"
            onClick={() => setShowLog((open) => !open)}
          >
            {showLog ? 'Hide log' : 'Build log'}
          </Button>
          <Button
            variant="secondary"
            className="px-2 py-1 text-xs"
            disabled={blocker !== null || busy}
            title={blocker ?? (busy ? 'A deployment is under way' : 'Serve this deployment again (no rebuild)')}
            data-testid="deployment-rollback"
            onClick={onRollback}
          >
            Rollback
          </Button>
        </span>
      </div>
      {deployment.error ? <p className="text-xs text-danger">{deployment.error}</p> : null}
      {showLog ? <StoredBuildLog projectId={projectId} env={env} id={deployment.id} /> : null}
    </li>
  );
}
