'use client';
// "Deploy" (IDE toolbar, dashboard row): opens the Deploy dialog for one project.
import { useState } from 'react';
import { Button } from '../ui/Button';
import { DeployDialog } from './DeployDialog';

export function DeployButton({
  projectId,
  projectName,
  variant = 'secondary',
  className = '',
}: {
  projectId: string;
  projectName: string;
  variant?: 'secondary' | 'ghost';
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant={variant}
        className={className}
        onClick={() => setOpen(true)}
        aria-haspopup="dialog"
        aria-label={`Deploy ${projectName}`}
        data-testid="deploy-open"
      >
        Deploy
      </Button>
      <DeployDialog projectId={projectId} projectName={projectName} open={open} onClose={() => setOpen(false)} />
    </>
  );
}
