'use client';
// Stop and Remove both interrupt someone's work, so each asks first and says what it keeps.
import { useState } from 'react';
import type { AdminWorkspaceDto } from '@/server/contracts';
import { api } from '../api-client';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';

export interface WorkspaceAction {
  kind: 'stop' | 'remove';
  workspace: AdminWorkspaceDto;
}

const copy = {
  stop: {
    title: 'Stop workspace?',
    body: 'Its container stops after a snapshot of its files; open terminals end. The owner can start it again.',
    confirm: 'Stop workspace',
    pending: 'Stopping…',
  },
  remove: {
    title: 'Remove workspace?',
    body: 'Its container and volume are deleted after a snapshot. The project and its snapshots stay; the next start restores the latest snapshot.',
    confirm: 'Remove workspace',
    pending: 'Removing…',
  },
} as const;

export function ConfirmWorkspaceAction({
  action,
  onClose,
  onDone,
}: {
  action: WorkspaceAction | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState('');
  const text = copy[action?.kind ?? 'stop'];

  async function confirm() {
    if (!action) return;
    setPending(true);
    setError('');
    try {
      await api(`/admin/workspaces/${encodeURIComponent(action.workspace.projectId)}/${action.kind}`, {
        method: 'POST',
      });
      onDone();
      onClose();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'That did not work');
    } finally {
      setPending(false);
    }
  }

  const close = () => {
    setError('');
    onClose();
  };
  return (
    <Dialog open={action !== null} onClose={close} title={text.title} testId={`admin-${action?.kind ?? 'stop'}-dialog`}>
      <p className="text-sm">
        <strong className="text-gray-100">{action?.workspace.projectName}</strong>
        <span className="block break-all text-muted">{action?.workspace.ownerEmail}</span>
      </p>
      <p className="text-sm text-gray-300">{text.body}</p>
      {error ? <p className="text-sm text-danger">{error}</p> : null}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={close} autoFocus>
          Cancel
        </Button>
        <Button variant="danger" onClick={() => void confirm()} disabled={pending} data-testid="admin-confirm">
          {pending ? text.pending : text.confirm}
        </Button>
      </div>
    </Dialog>
  );
}
