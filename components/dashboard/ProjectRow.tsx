'use client';
// One project in the dashboard list: open it, deploy it, or download it as a ZIP or a bundle (with its
// snapshot history), its exports (changes bundles, export history), duplicate, rename, delete.
import Link from 'next/link';
import { TEMPLATES, type ProjectDto } from '@/server/contracts';
import { DeployButton } from '../deploy/DeployButton';
import { SyncControl } from '../sync/SyncControl';
import { Button } from '../ui/Button';
import { DownloadZipLink } from './DownloadZipLink';
import { ExportsButton } from './ExportsDialog';
import { relativeTime } from './relative-time';

const templateLabel = (id: string) => TEMPLATES.find((template) => template.id === id)?.label ?? id;
const action = 'rounded-md px-2 py-1.5 text-sm font-medium text-gray-300 hover:bg-panel-2';

export function ProjectRow({
  project,
  duplicating,
  syncEnabled = false,
  onDuplicate,
  onRename,
  onDelete,
}: {
  project: ProjectDto;
  duplicating: boolean;
  /** The user has remotes: show the project's sync light, or Link. */
  syncEnabled?: boolean;
  onDuplicate(): void;
  onRename(): void;
  onDelete(): void;
}) {
  return (
    <li
      data-testid="project-row"
      data-project-id={project.id}
      className="flex flex-wrap items-center gap-2 px-4 py-3 hover:bg-panel-2"
    >
      <Link href={`/p/${project.id}`} className="mr-2 min-w-0 flex-1" data-testid="open-project">
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
      <SyncControl
        projectId={project.id}
        projectName={project.name}
        place="row"
        enabled={syncEnabled}
        pollMs={60_000}
      />
      <DeployButton projectId={project.id} projectName={project.name} variant="ghost" className="px-2" />
      {/* Checked first (a name a ZIP cannot carry is explained), then streamed by the browser. */}
      <DownloadZipLink projectId={project.id} projectName={project.name} className={action} />
      <a
        href={`/api/v1/projects/${encodeURIComponent(project.id)}/bundle`}
        download
        className={action}
        title="The project with its whole snapshot history, to import on another Berth server"
        aria-label={`Export ${project.name} as a bundle with its history`}
        data-testid="export-bundle"
      >
        Bundle
      </a>
      <ExportsButton projectId={project.id} projectName={project.name} className={action} />
      <Button
        variant="ghost"
        onClick={onDuplicate}
        disabled={duplicating}
        aria-label={`Duplicate ${project.name}`}
        data-testid="duplicate-project"
      >
        {duplicating ? 'Duplicating…' : 'Duplicate'}
      </Button>
      <Button variant="ghost" onClick={onRename} aria-label={`Rename ${project.name}`} data-testid="rename-project">
        Rename
      </Button>
      <Button
        variant="ghost-danger"
        onClick={onDelete}
        aria-label={`Delete ${project.name}`}
        data-testid="delete-project"
      >
        Delete
      </Button>
    </li>
  );
}
