'use client';
// A finished deployment's build log, read once when asked for.
import { useEffect, useState } from 'react';
import { getDeployment } from './deploy-api';
import { deployErrorText } from './deploy-format';
import { LogView } from './LogView';

export function StoredBuildLog({ projectId, env, id }: { projectId: string; env: string; id: string }) {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    getDeployment(projectId, env, id).then(
      (deployment) => current && setText(deployment.buildLog),
      (caught: unknown) => current && setError(deployErrorText(caught, 'Could not read the build log')),
    );
    return () => {
      current = false;
    };
  }, [projectId, env, id]);
  if (error) return <p className="text-xs text-danger">{error}</p>;
  return (
    <LogView
      text={text ?? ''}
      empty={text === null ? 'Loading…' : 'No build output (a rollback builds nothing).'}
      testId="deployment-log"
      label="Build log"
      className="h-56"
    />
  );
}
