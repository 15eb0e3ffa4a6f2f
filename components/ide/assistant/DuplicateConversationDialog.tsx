'use client';
// "Duplicate" in the Assistant panel's conversation bar: a copy of the open conversation (its
// messages and turns) in this project or another of the user's, picked from a list. A copy here
// opens at once; one elsewhere is offered as a link to that project.
import { useEffect, useState } from 'react';
import type { DuplicatedConversationDto, ProjectDto } from '@/server/contracts';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { duplicateConversation, listProjects } from './assistant-api';

type State =
  | { status: 'loading' }
  | { status: 'ready' }
  | { status: 'copying' }
  | { status: 'copied'; copy: DuplicatedConversationDto; projectName: string }
  | { status: 'failed'; message: string };

export function DuplicateConversationDialog({
  projectId,
  conversation,
  onClose,
  onOpenCopy,
}: {
  projectId: string;
  conversation: { id: string; title: string };
  onClose(): void;
  /** A copy made in this project: open it. */
  onOpenCopy(id: string): void;
}) {
  const [projects, setProjects] = useState<ProjectDto[]>([]);
  const [target, setTarget] = useState(projectId);
  const [state, setState] = useState<State>({ status: 'loading' });

  useEffect(() => {
    let live = true;
    listProjects().then(
      (list) => {
        if (!live) return;
        setProjects(list);
        setState({ status: 'ready' });
      },
      (error: unknown) => live && setState({ status: 'failed', message: messageOf(error) }),
    );
    return () => {
      live = false;
    };
  }, []);

  const duplicate = async () => {
    setState({ status: 'copying' });
    try {
      const copy = await duplicateConversation(projectId, conversation.id, target);
      if (copy.projectId === projectId) {
        onOpenCopy(copy.id);
        onClose();
        return;
      }
      const projectName = projects.find((p) => p.id === copy.projectId)?.name ?? 'the other project';
      setState({ status: 'copied', copy, projectName });
    } catch (error) {
      setState({ status: 'failed', message: messageOf(error) });
    }
  };

  return (
    <Dialog open onClose={onClose} title="Duplicate conversation" testId="assistant-duplicate-dialog">
      <p className="text-sm">
        A copy of <strong>{conversation.title}</strong> with its messages, in:
      </p>
      <select
        aria-label="Project"
        data-testid="assistant-duplicate-project"
        className="w-full rounded border border-edge bg-panel-2 px-2 py-1 text-sm"
        value={target}
        disabled={state.status === 'loading' || state.status === 'copying'}
        onChange={(event) => setTarget(event.target.value)}
      >
        {projects.length === 0 ? <option value={projectId}>This project</option> : null}
        {projects.map((project) => (
          <option key={project.id} value={project.id}>
            {project.id === projectId ? `${project.name} (this project)` : project.name}
          </option>
        ))}
      </select>
      {state.status === 'copied' ? (
        <p role="status" className="text-sm" data-testid="assistant-duplicate-result" data-status="copied">
          Copied to {state.projectName}.{' '}
          <a className="underline" href={`/p/${encodeURIComponent(state.copy.projectId)}`}>
            Open that project
          </a>
        </p>
      ) : null}
      {state.status === 'failed' ? (
        <p role="alert" className="text-sm text-danger" data-testid="assistant-duplicate-result" data-status="failed">
          {state.message}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button type="button" variant="secondary" onClick={onClose}>
          {state.status === 'copied' ? 'Close' : 'Cancel'}
        </Button>
        <Button
          type="button"
          data-testid="assistant-duplicate-confirm"
          disabled={state.status === 'loading' || state.status === 'copying'}
          onClick={() => void duplicate()}
        >
          {state.status === 'copying' ? 'Duplicating…' : 'Duplicate'}
        </Button>
      </div>
    </Dialog>
  );
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : 'The conversation was not duplicated');
