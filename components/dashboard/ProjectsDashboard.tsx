'use client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { TEMPLATES, type ProjectDto } from '@/server/contracts';
import { api } from '../api-client';
import { AppHeader } from '../AppHeader';
import { Button } from '../ui/Button';
import { DeleteProjectDialog } from './DeleteProjectDialog';
import { NewProjectDialog } from './NewProjectDialog';
import { RenameProjectDialog } from './RenameProjectDialog';
import { relativeTime } from './relative-time';

type LoadState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; projects: ProjectDto[] };

const templateLabel = (id: string) => TEMPLATES.find((template) => template.id === id)?.label ?? id;

export function ProjectsDashboard() {
  const [state, setState] = useState<LoadState>({ status: 'loading' });
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<ProjectDto | null>(null);
  const [deleting, setDeleting] = useState<ProjectDto | null>(null);

  const load = () =>
    api<ProjectDto[]>('/projects').then(
      (projects) => setState({ status: 'ready', projects }),
      (error: unknown) => setState({ status: 'error', message: error instanceof Error ? error.message : 'Could not load projects' }),
    );
  useEffect(() => {
    void load();
  }, []);

  const projects = state.status === 'ready' ? state.projects : [];
  const replace = (updated: ProjectDto) =>
    setState({ status: 'ready', projects: projects.map((project) => (project.id === updated.id ? updated : project)) });

  return (
    <div className="flex min-h-full flex-col">
      <AppHeader />
      <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-8">
        <div className="mb-6 flex items-center justify-between">
          <h1 className="text-xl font-semibold">Projects</h1>
          <Button onClick={() => setCreating(true)} data-testid="new-project">
            New project
          </Button>
        </div>

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
                <li key={project.id} data-testid="project-row" data-project-id={project.id} className="flex items-center gap-4 px-4 py-3 hover:bg-panel-2">
                  <Link href={`/p/${project.id}`} className="min-w-0 flex-1" data-testid="open-project">
                    <span className="block truncate font-medium" data-testid="project-name">
                      {project.name}
                    </span>
                    <span className="text-xs text-muted">
                      {templateLabel(project.template)} ·{' '}
                      <span title={project.lastOpenedAt ?? undefined}>
                        {project.lastOpenedAt ? `opened ${relativeTime(project.lastOpenedAt)}` : 'never opened'}
                      </span>
                    </span>
                  </Link>
                  <Button variant="ghost" onClick={() => setRenaming(project)} aria-label={`Rename ${project.name}`} data-testid="rename-project">
                    Rename
                  </Button>
                  <Button variant="ghost-danger" onClick={() => setDeleting(project)} aria-label={`Delete ${project.name}`} data-testid="delete-project">
                    Delete
                  </Button>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      </main>

      <NewProjectDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(project) => {
          setCreating(false);
          setState({ status: 'ready', projects: [project, ...projects] });
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
