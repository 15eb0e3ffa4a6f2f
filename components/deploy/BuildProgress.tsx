'use client';
// The deployment under way (or the last one): its steps, elapsed time and live build log. When it
// ends, the caller reads the environment and the history again.
import { useEffect, useRef, useState } from 'react';
import type { DeploymentSummaryDto } from '@/server/contracts';
import { DeploySteps, stepOf, type DeployStep } from './DeploySteps';
import { elapsedMs, formatDuration, isFinal, statusLabel, statusTone } from './deploy-format';
import { LogView } from './LogView';
import { useBuildLog } from './use-build-log';
import { useNow } from './use-now';

export function BuildProgress({
  projectId,
  env,
  deployment,
  onEnded,
}: {
  projectId: string;
  env: string;
  deployment: DeploymentSummaryDto;
  onEnded(): void;
}) {
  const log = useBuildLog(projectId, env, deployment.id, deployment.status);
  const status = log.status;
  const final = isFinal(status);
  const [reached, setReached] = useState<DeployStep>(
    () => stepOf(deployment.status) ?? (deployment.startedAt ? 'building' : 'queued'),
  );
  useEffect(() => {
    const step = stepOf(status);
    if (step) setReached(step);
  }, [status]);

  const endedOnce = useRef(false);
  const ended = log.ended || (final && isFinal(deployment.status));
  useEffect(() => {
    if (!ended || endedOnce.current) return;
    endedOnce.current = true;
    onEnded();
  }, [ended, onEnded]);

  // The clock stops when it ends: until the history gives its recorded duration, the time it ended as seen here.
  const now = useNow(!final);
  const elapsed = elapsedMs({ createdAt: deployment.createdAt, durationMs: final ? deployment.durationMs : null }, now);

  return (
    <section
      className="flex flex-col gap-2"
      data-testid="build-progress"
      data-deployment-id={deployment.id}
      data-status={status}
      aria-label="Deployment progress"
    >
      <div className="flex flex-wrap items-center gap-3">
        <span className={`text-sm font-medium ${statusTone[status]}`} data-testid="build-status" role="status">
          {final ? statusLabel[status] : `${statusLabel[status]}…`}
        </span>
        <DeploySteps status={status} reached={reached} rollback={deployment.rollbackOf !== null} />
        <span className="ml-auto text-xs tabular-nums text-muted" data-testid="build-elapsed">
          {formatDuration(elapsed)}
        </span>
      </div>
      {status === 'failed' ? (
        <p
          role="alert"
          data-testid="build-failed"
          className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger"
        >
          This deployment failed{deployment.error ? `: ${deployment.error}` : ''}. Nothing changed: the environment
          keeps serving what it served before.
        </p>
      ) : null}
      <LogView
        text={log.text}
        empty={final ? 'No build output.' : 'Waiting for the build to start…'}
        testId="build-log"
        label="Build log"
      />
    </section>
  );
}
