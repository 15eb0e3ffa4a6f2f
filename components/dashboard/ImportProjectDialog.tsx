'use client';
// "Import": pick a .zip (a Berth export or bundle, or any project archive) and watch the
// upload's progress — or give a git URL, which the server clones inside the new project's own
// workspace. Optionally name the project. The server's refusal (unsafe paths, symlinks, too
// large, an internal git host) is shown as it says it; nothing is created then.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ProjectDto } from '@/server/contracts';
import { api } from '../api-client';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { TextField } from '../ui/TextField';
import { importProjectZip, type ImportHandle } from './import-upload';

type Phase =
  { step: 'idle' } | { step: 'uploading'; progress: number } | { step: 'cloning' } | { step: 'error'; message: string };
type Source = 'zip' | 'git';

export function ImportProjectDialog({
  open,
  onClose,
  onImported,
}: {
  open: boolean;
  onClose(): void;
  onImported(project: ProjectDto): void;
}) {
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const [source, setSource] = useState<Source>('zip');
  const upload = useRef<ImportHandle | null>(null);
  useEffect(() => {
    if (open) setPhase({ step: 'idle' });
  }, [open]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = String(data.get('name') ?? '').trim() || undefined;
    if (source === 'git') {
      setPhase({ step: 'cloning' });
      try {
        onImported(
          await api<ProjectDto>('/projects/import', {
            method: 'POST',
            body: { gitUrl: String(data.get('gitUrl') ?? '').trim(), ...(name ? { name } : {}) },
          }),
        );
      } catch (error) {
        setPhase({ step: 'error', message: error instanceof Error ? error.message : 'The import failed' });
      }
      return;
    }
    const file = data.get('file');
    if (!(file instanceof File) || file.size === 0) {
      setPhase({ step: 'error', message: 'Choose a .zip file to import.' });
      return;
    }
    setPhase({ step: 'uploading', progress: 0 });
    upload.current = importProjectZip(file, name, (progress) => setPhase({ step: 'uploading', progress }));
    try {
      onImported(await upload.current.done);
    } catch (error) {
      setPhase({ step: 'error', message: error instanceof Error ? error.message : 'The import failed' });
    } finally {
      upload.current = null;
    }
  }

  // Closing (Escape, Cancel) while uploading cancels the upload.
  const close = () => {
    upload.current?.abort();
    onClose();
  };
  const uploading = phase.step === 'uploading' || phase.step === 'cloning';
  const percent = phase.step === 'uploading' ? Math.round(phase.progress * 100) : 0;
  return (
    <Dialog open={open} onClose={close} title="Import a project" testId="import-project-dialog">
      <form onSubmit={onSubmit} className="flex flex-col gap-4">
        <div
          role="radiogroup"
          aria-label="Import from"
          className="flex gap-1 self-start rounded-md border border-edge p-0.5 text-sm"
        >
          {(['zip', 'git'] as const).map((option) => (
            <button
              key={option}
              type="button"
              role="radio"
              aria-checked={source === option}
              disabled={uploading}
              data-testid={`import-source-${option}`}
              onClick={() => setSource(option)}
              className={`rounded px-3 py-1 ${source === option ? 'bg-accent text-white' : 'text-gray-300 hover:bg-panel-2'}`}
            >
              {option === 'zip' ? 'ZIP file' : 'Git URL'}
            </button>
          ))}
        </div>
        {source === 'git' ? (
          <TextField
            label="Repository URL"
            name="gitUrl"
            type="url"
            required
            placeholder="https://github.com/owner/repo.git"
            disabled={uploading}
            data-testid="import-git-url"
          />
        ) : (
          <label className="flex flex-col gap-1 text-sm">
            <span className="text-gray-300">ZIP file</span>
            <input
              type="file"
              name="file"
              accept=".zip,application/zip"
              required
              disabled={uploading}
              data-testid="import-file"
              className="rounded-md border border-edge bg-surface text-sm text-gray-300 file:mr-3 file:border-0 file:border-r file:border-edge file:bg-panel-2 file:px-3 file:py-2 file:text-gray-100 hover:file:bg-edge"
            />
            <span className="text-xs text-muted">
              A ZIP or bundle exported from Berth, or any ZIP of a project&apos;s files (up to the server&apos;s size
              limit).
            </span>
          </label>
        )}
        <TextField
          label="Name (optional)"
          name="name"
          maxLength={64}
          placeholder={source === 'git' ? 'Named after the repository if empty' : 'Named after the file if empty'}
          disabled={uploading}
        />
        {phase.step === 'cloning' ? (
          <p data-testid="import-cloning" className="text-xs text-muted" role="status">
            Cloning in a new workspace…
          </p>
        ) : null}
        {phase.step === 'uploading' ? (
          <div data-testid="import-progress" data-progress={percent} className="flex flex-col gap-1 text-xs text-muted">
            <div
              className="h-1.5 overflow-hidden rounded bg-edge"
              role="progressbar"
              aria-label="Upload progress"
              aria-valuenow={percent}
              aria-valuemin={0}
              aria-valuemax={100}
            >
              <div className="h-full bg-accent transition-[width]" style={{ width: `${percent}%` }} />
            </div>
            <span>{percent < 100 ? `Uploading… ${percent}%` : 'Unpacking and checking the files…'}</span>
          </div>
        ) : null}
        {phase.step === 'error' ? (
          <p
            role="alert"
            data-testid="import-error"
            className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger"
          >
            {phase.message}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" disabled={uploading} data-testid="import-confirm">
            {uploading ? 'Importing…' : 'Import'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
