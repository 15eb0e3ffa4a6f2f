'use client';
// The Deploy tab: the environment at a glance, "Deploy now" (a new snapshot or a chosen one), and
// the newest deployment's progress and build log. A failed one says that the previous keeps serving.
import { useState } from 'react';
import type { DeploymentSummaryDto } from '@/server/contracts';
import { Button } from '../ui/Button';
import { BuildProgress } from './BuildProgress';
import { startDeployment, type EnvironmentView } from './deploy-api';
import { deployErrorText, isFinal, statusLabel } from './deploy-format';
import { EnvironmentSummary } from './EnvironmentSummary';
import { SnapshotPicker } from './SnapshotPicker';

export function DeployOverview({
  projectId,
  env,
  latest,
  onStarted,
  onEnded,
}: {
  projectId: string;
  env: EnvironmentView;
  /** The newest deployment of the environment (under way or finished), if any. */
  latest: DeploymentSummaryDto | null;
  onStarted(id: string): void;
  onEnded(): void;
}) {
  const [snapshotId, setSnapshotId] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const busy = pending || (latest !== null && !isFinal(latest.status));

  const deploy = async () => {
    setPending(true);
    setError(null);
    try {
      const { id } = await startDeployment(projectId, env.name, snapshotId || undefined);
      onStarted(id);
    } catch (caught) {
      setError(deployErrorText(caught, 'Could not start the deployment'));
    } finally {
      setPending(false);
    }
  };

  const current = env.current;
  const stillServing = latest?.status === 'failed' && current && current.id !== latest.id && current.status === 'live';

  return (
    <div className="flex flex-col gap-4" data-testid="deploy-overview">
      <EnvironmentSummary projectId={projectId} env={env} />
      <div className="flex flex-wrap items-end gap-3">
        <SnapshotPicker projectId={projectId} value={snapshotId} onChange={setSnapshotId} disabled={busy} />
        <Button onClick={() => void deploy()} disabled={busy} data-testid="deploy-now">
          {pending ? 'Starting…' : busy ? 'Deploying…' : `Deploy to ${env.name}`}
        </Button>
      </div>
      {error ? (
        <p
          role="alert"
          data-testid="deploy-error"
          className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger"
        >
          {error}
        </p>
      ) : null}
      {stillServing ? (
        <p className="text-xs text-emerald-400" data-testid="still-serving">
          Still serving the previous deployment ({statusLabel[current.status].toLowerCase()}).
        </p>
      ) : null}
      {latest ? (
        <BuildProgress key={latest.id} projectId={projectId} env={env.name} deployment={latest} onEnded={onEnded} />
      ) : (
        <p className="text-sm text-muted" data-testid="no-deployments">
          Nothing deployed to {env.name} yet. Deploy builds the project in a fresh container (install, build) and runs
          it on its own URL, whether or not the workspace runs.
        </p>
      )}
    </div>
  );
}
