'use client';
import { useState } from 'react';
import type { ProjectDto } from '@/server/contracts';
import { api } from '../api-client';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';

export function DeleteProjectDialog({
  project,
  onClose,
  onDeleted,
}: {
  project: ProjectDto | null;
  onClose: () => void;
  onDeleted: (id: string) => void;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState('');

  async function confirm() {
    if (!project) return;
    setPending(true);
    setError('');
    try {
      await api(`/projects/${project.id}`, { method: 'DELETE' });
      onDeleted(project.id);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Delete failed');
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog open={project !== null} onClose={onClose} title="Delete project?" testId="delete-project-dialog">
      <p className="text-sm text-gray-300">
        <strong className="text-gray-100">{project?.name}</strong> and its files will be deleted. This cannot be undone.
      </p>
      {error ? <p className="text-sm text-danger">{error}</p> : null}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose} autoFocus>
          Cancel
        </Button>
        <Button variant="danger" onClick={() => void confirm()} disabled={pending}>
          {pending ? 'Deleting…' : 'Delete project'}
        </Button>
      </div>
    </Dialog>
  );
}
