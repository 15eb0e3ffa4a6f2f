'use client';
// "Save snapshot": asks for an optional label (labelled snapshots are kept until deleted).
import { useState, type FormEvent } from 'react';
import type { SnapshotDto } from '@/server/contracts';
import { firstFieldError } from '../../api-client';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { TextField } from '../../ui/TextField';
import { errorText, takeSnapshot } from './snapshots-api';

export function SaveSnapshotDialog({
  projectId,
  open,
  onClose,
  onSaved,
}: {
  projectId: string;
  open: boolean;
  onClose(): void;
  onSaved(snapshot: SnapshotDto): void;
}) {
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const label = String(new FormData(event.currentTarget).get('label') ?? '').trim();
    setPending(true);
    setError(null);
    try {
      onSaved(await takeSnapshot(projectId, label || undefined));
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(false);
    }
  }

  const close = () => {
    setError(null);
    onClose();
  };
  const fieldError = firstFieldError(error, 'label');
  return (
    <Dialog open={open} onClose={close} title="Save snapshot" testId="save-snapshot-dialog">
      <form onSubmit={onSubmit} className="flex flex-col gap-4">
        <TextField
          label="Label (optional)"
          name="label"
          maxLength={100}
          autoFocus
          placeholder="e.g. before the refactor"
          error={fieldError}
        />
        <p className="text-xs text-muted">
          Labelled snapshots are kept until you delete them; unlabelled ones rotate out.
        </p>
        {error && !fieldError ? (
          <p role="alert" className="text-sm text-danger">
            {errorText(error, 'Could not save the snapshot')}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending} data-testid="save-snapshot-confirm">
            {pending ? 'Saving…' : 'Save snapshot'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
