'use client';
import { useState, type FormEvent } from 'react';
import type { ProjectDto } from '@/server/contracts';
import { api, firstFieldError } from '../api-client';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { TextField } from '../ui/TextField';

export function RenameProjectDialog({
  project,
  onClose,
  onRenamed,
}: {
  project: ProjectDto | null;
  onClose: () => void;
  onRenamed: (project: ProjectDto) => void;
}) {
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!project) return;
    const name = String(new FormData(event.currentTarget).get('name') ?? '');
    setPending(true);
    setError(null);
    try {
      onRenamed(await api<ProjectDto>(`/projects/${project.id}`, { method: 'PATCH', body: { name } }));
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog open={project !== null} onClose={onClose} title="Rename project" testId="rename-project-dialog">
      <form onSubmit={onSubmit} className="flex flex-col gap-4">
        <TextField
          label="Name"
          name="name"
          defaultValue={project?.name}
          required
          maxLength={64}
          autoFocus
          onFocus={(e) => e.currentTarget.select()}
          error={firstFieldError(error, 'name')}
        />
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            Rename
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
