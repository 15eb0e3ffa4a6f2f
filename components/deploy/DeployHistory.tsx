'use client';
// The History tab: every deployment of the environment, newest first, with Rollback.
import { useState } from 'react';
import { Button } from '../ui/Button';
import { rollbackTo } from './deploy-api';
import { deployErrorText, isFinal } from './deploy-format';
import { DeploymentRow } from './DeploymentRow';
import type { Deployments } from './use-deployments';

export function DeployHistory({
  projectId,
  env,
  deployments,
  servingId,
  userId,
  onStarted,
}: {
  projectId: string;
  env: string;
  deployments: Deployments;
  servingId: string | null;
  userId: string | null;
  onStarted(id: string): void;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const list = deployments.list;
  const underWay = (list ?? []).some((item) => !isFinal(item.status));

  const rollback = async (id: string) => {
    setPending(true);
    setError(null);
    try {
      const started = await rollbackTo(projectId, env, id);
      onStarted(started.id);
    } catch (caught) {
      setError(deployErrorText(caught, 'Could not roll back'));
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="flex flex-col gap-3" data-testid="deploy-history" data-status={list ? 'ready' : 'loading'}>
      {error ? (
        <p
          role="alert"
          data-testid="history-error"
          className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger"
        >
          {error}
        </p>
      ) : null}
      {deployments.loadError ? (
        <div className="flex items-center gap-3 text-sm text-danger">
          {deployments.loadError}
          <Button variant="secondary" onClick={() => void deployments.refresh()}>
            Retry
          </Button>
        </div>
      ) : null}
      {list === null && !deployments.loadError ? <p className="text-sm text-muted">Loading the history…</p> : null}
      {list?.length === 0 ? <p className="text-sm text-muted">No deployments yet.</p> : null}
      {list && list.length > 0 ? (
        <ul className="divide-y divide-edge rounded-md border border-edge bg-panel">
          {list.map((deployment) => (
            <DeploymentRow
              key={deployment.id}
              projectId={projectId}
              env={env}
              deployment={deployment}
              servingId={servingId}
              imageKept={deployment.imageKept}
              who={deployment.createdBy === userId ? 'you' : deployment.createdBy.slice(0, 8)}
              busy={pending || underWay}
              onRollback={() => void rollback(deployment.id)}
            />
          ))}
        </ul>
      ) : null}
      <p className="text-xs text-muted">
        Rollback serves an earlier deployment&apos;s kept image again, with the variables as they are now: no rebuild.
      </p>
    </div>
  );
}
