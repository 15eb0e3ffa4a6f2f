'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { ProjectDto } from '@/server/contracts';
import { api } from '../api-client';
import { AppHeader } from '../AppHeader';
import { useHasRemotes } from '../sync/use-has-remotes';
import { Button } from '../ui/Button';
import { DeleteProjectDialog } from './DeleteProjectDialog';
import { ImportProjectDialog } from './ImportProjectDialog';
import { NewProjectDialog } from './NewProjectDialog';
import { ProjectRow } from './ProjectRow';
import { RenameProjectDialog } from './RenameProjectDialog';

type LoadState =
  { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; projects: ProjectDto[] };

export function ProjectsDashboard() {
  const router = useRouter();
  const [state, setState] = useState<LoadState>({ status: 'loading' });
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<ProjectDto | null>(null);
  const [deleting, setDeleting] = useState<ProjectDto | null>(null);
  const [importing, setImporting] = useState(false);
  const [duplicating, setDuplicating] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const hasRemotes = useHasRemotes();

  const load = () =>
    api<ProjectDto[]>('/projects').then(
      (projects) => setState({ status: 'ready', projects }),
      (error: unknown) =>
        setState({ status: 'error', message: error instanceof Error ? error.message : 'Could not load projects' }),
    );
  useEffect(() => {
    void load();
  }, []);

  const projects = state.status === 'ready' ? state.projects : [];
  const prepend = (project: ProjectDto) =>
    setState((current) => ({
      status: 'ready',
      projects: [project, ...(current.status === 'ready' ? current.projects : [])],
    }));
  const duplicate = async (project: ProjectDto) => {
    setDuplicating(project.id);
    setActionError(null);
    try {
      prepend(await api<ProjectDto>(`/projects/${encodeURIComponent(project.id)}/duplicate`, { method: 'POST' }));
    } catch (error) {
      setActionError(
        `Could not duplicate ${project.name}: ${error instanceof Error ? error.message : 'unknown error'}`,
      );
    } finally {
      setDuplicating(null);
    }
  };
  const replace = (updated: ProjectDto) =>
    setState({ status: 'ready', projects: projects.map((project) => (project.id === updated.id ? updated : project)) });

  return (
    <div className="flex min-h-full flex-col">
      <AppHeader />
      <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-8">
        <div className="mb-6 flex items-center justify-between">
          <h1 className="text-xl font-semibold">Projects</h1>
          <div className="flex gap-2">
            <Button variant="secondary" onClick={() => setImporting(true)} data-testid="import-project">
              Import
            </Button>
            <Button onClick={() => setCreating(true)} data-testid="new-project">
              New project
            </Button>
          </div>
        </div>
        {actionError ? (
          <div
            role="alert"
            data-testid="dashboard-error"
            className="mb-4 flex items-start gap-3 rounded-md border border-danger/40 bg-danger/10 px-4 py-2 text-sm text-danger"
          >
            <span className="flex-1">{actionError}</span>
            <button type="button" className="text-xs underline" onClick={() => setActionError(null)}>
              Dismiss
            </button>
          </div>
        ) : null}

        <section data-testid="project-list" data-status={state.status}>
          {state.status === 'loading' ? <p className="text-sm text-muted">Loading projects…</p> : null}
          {state.status === 'error' ? (
            <div className="rounded-md border border-danger/40 bg-danger/10 p-4 text-sm">
              <p className="text-danger">{state.message}</p>
              <Button variant="secondary" className="mt-3" onClick={() => void load()}>
                Retry
              </Button>
            </div>
          ) : null}
          {state.status === 'ready' && projects.length === 0 ? (
            <div className="rounded-lg border border-dashed border-edge p-10 text-center">
              <p className="font-medium">No projects yet</p>
              <p className="mt-1 text-sm text-muted">Start from a template: each project gets its own container.</p>
              <Button className="mt-4" onClick={() => setCreating(true)}>
                Create your first project
              </Button>
            </div>
          ) : null}
          {projects.length > 0 ? (
            <ul className="divide-y divide-edge overflow-hidden rounded-lg border border-edge bg-panel">
              {projects.map((project) => (
                <ProjectRow
                  key={project.id}
                  project={project}
                  duplicating={duplicating === project.id}
                  syncEnabled={hasRemotes}
                  onDuplicate={() => void duplicate(project)}
                  onRename={() => setRenaming(project)}
                  onDelete={() => setDeleting(project)}
                />
              ))}
            </ul>
          ) : null}
        </section>
      </main>

      <NewProjectDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(project) => {
          // A new project is made to be worked on: open it (issue 17 C2).
          setState({ status: 'ready', projects: [project, ...projects] });
          router.push(`/p/${encodeURIComponent(project.id)}`);
        }}
      />
      <ImportProjectDialog
        open={importing}
        onClose={() => setImporting(false)}
        onImported={(project) => {
          setImporting(false);
          prepend(project);
        }}
      />
      <RenameProjectDialog
        project={renaming}
        onClose={() => setRenaming(null)}
        onRenamed={(project) => {
          setRenaming(null);
          replace(project);
        }}
      />
      <DeleteProjectDialog
        project={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(id) => {
          setDeleting(null);
          setState({ status: 'ready', projects: projects.filter((project) => project.id !== id) });
        }}
      />
    </div>
  );
}
