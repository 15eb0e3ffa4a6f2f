'use client';
import { useState, type FormEvent } from 'react';
import { TEMPLATES, type ProjectDto, type TemplateId } from '@/server/contracts';
import { api, ApiError, firstFieldError } from '../api-client';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { TextField } from '../ui/TextField';

/** Creates a project; `onCreated` opens it (the dialog stays busy until the page changes). */
export function NewProjectDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (project: ProjectDto) => void;
}) {
  const [template, setTemplate] = useState<TemplateId>('vite-react');
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') ?? '');
    setPending(true);
    setError(null);
    try {
      // Stays pending on success: the dashboard opens the new project.
      onCreated(await api<ProjectDto>('/projects', { method: 'POST', body: { name, template } }));
    } catch (caught) {
      setError(caught);
      setPending(false);
    }
  }

  return (
    <Dialog open={open} onClose={onClose} title="New project" testId="new-project-dialog">
      <form onSubmit={onSubmit} className="flex flex-col gap-4">
        <TextField
          label="Name"
          name="name"
          required
          maxLength={64}
          autoFocus
          placeholder="my-app"
          error={firstFieldError(error, 'name')}
        />
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm text-gray-300">Template</legend>
          <div className="grid grid-cols-2 gap-2">
            {TEMPLATES.map((option) => (
              <label
                key={option.id}
                className={`cursor-pointer rounded-md border p-3 text-sm ${template === option.id ? 'border-accent bg-accent/10' : 'border-edge hover:border-muted'}`}
              >
                <input
                  type="radio"
                  name="template"
                  value={option.id}
                  checked={template === option.id}
                  onChange={() => setTemplate(option.id)}
                  className="sr-only"
                />
                <span className="block font-medium">{option.label}</span>
                <span className="mt-0.5 block text-xs text-muted">{option.description}</span>
              </label>
            ))}
          </div>
        </fieldset>
        {error instanceof ApiError && !error.body.fieldErrors ? (
          <p className="text-sm text-danger">{error.message}</p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? 'Creating…' : 'Create project'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
