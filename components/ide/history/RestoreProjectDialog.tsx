'use client';
// Confirms a whole-project restore, saying plainly that a safety snapshot comes first.
import { useState } from 'react';
import type { SnapshotDto } from '@/server/contracts';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { absoluteTime, snapshotTitle } from './format';
import { errorText, restoreSnapshot, type RestoreResult } from './snapshots-api';

export function RestoreProjectDialog({
  projectId,
  snapshot,
  onClose,
  onRestored,
}: {
  projectId: string;
  snapshot: SnapshotDto | null;
  onClose(): void;
  onRestored(result: RestoreResult): void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function restore() {
    if (!snapshot) return;
    setPending(true);
    setError(null);
    try {
      onRestored(await restoreSnapshot(projectId, snapshot.id));
    } catch (caught) {
      setError(errorText(caught, 'The restore failed'));
    } finally {
      setPending(false);
    }
  }

  const close = () => {
    setError(null);
    onClose();
  };
  return (
    <Dialog open={snapshot !== null} onClose={close} title="Restore the whole project?" testId="restore-project-dialog">
      {snapshot ? (
        <div className="flex flex-col gap-3 text-sm">
          <p>
            Every file goes back to <strong>{snapshotTitle(snapshot)}</strong> ({absoluteTime(snapshot.createdAt)}).
            Files added since then are removed.
          </p>
          <p className="text-muted">
            A safety snapshot of the project as it is now is taken first, so you can undo this from History.
          </p>
          {error ? (
            <p role="alert" className="text-danger">
              {error}
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button type="button" variant="secondary" onClick={close}>
          Cancel
        </Button>
        <Button
          type="button"
          variant="danger"
          disabled={pending}
          onClick={() => void restore()}
          data-testid="restore-project-confirm"
        >
          {pending ? 'Restoring…' : 'Restore project'}
        </Button>
      </div>
    </Dialog>
  );
}
