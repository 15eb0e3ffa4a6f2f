'use client';
// The current branch and its menu: switch to another branch, create one (and switch to it), merge
// one into the current branch, delete one. What git refuses comes back through onError.
import { useEffect, useRef, useState } from 'react';
import type { GitBranchDto } from '@/server/contracts';
import { gitBranches } from './git-api';

export function BranchMenu({
  projectId,
  branch,
  head,
  busy,
  tick,
  onSwitch,
  onCreate,
  onMerge,
  onDelete,
  onError,
}: {
  projectId: string;
  branch: string | null;
  head: string | null;
  busy: boolean;
  /** Changes with the branch and HEAD: the list is fetched again while open. */
  tick: string;
  onSwitch(name: string): void;
  onCreate(name: string): void;
  onMerge(name: string): void;
  onDelete(name: string): void;
  onError(message: string): void;
}) {
  const [open, setOpen] = useState(false);
  const [branches, setBranches] = useState<GitBranchDto[] | null>(null);
  const [name, setName] = useState('');
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    gitBranches(projectId).then(
      (list) => !cancelled && setBranches(list),
      (error: unknown) => !cancelled && onError(error instanceof Error ? error.message : 'Could not list branches'),
    );
    return () => {
      cancelled = true;
    };
    // onError is the panel's setter wrapper; the list follows the project and the status.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, projectId, tick]);

  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node) && !document.querySelector('dialog[open]')) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    window.addEventListener('mousedown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('mousedown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const label = branch ?? (head ? `(detached at ${head.slice(0, 7)})` : '(no branch)');
  const others = branches?.filter((candidate) => !candidate.current) ?? [];
  return (
    <div ref={root} className="relative">
      <button
        type="button"
        className="flex h-6 max-w-full items-center gap-1 rounded px-2 text-xs text-gray-100 hover:bg-surface"
        aria-haspopup="menu"
        aria-expanded={open}
        title="Switch, create, merge or delete branches"
        data-testid="git-branch"
        data-branch={branch ?? ''}
        onClick={() => setOpen((value) => !value)}
      >
        <span aria-hidden className="text-muted">
          ⎇
        </span>
        <span className="truncate">{label}</span>
        <span aria-hidden className="text-muted">
          ▾
        </span>
      </button>
      {open ? (
        <div
          role="menu"
          data-testid="git-branch-menu"
          className="absolute left-0 right-0 top-7 z-20 min-w-[14rem] rounded-md border border-edge bg-panel shadow-xl"
        >
          <form
            className="flex gap-1 border-b border-edge p-2"
            onSubmit={(event) => {
              event.preventDefault();
              if (!name.trim()) return;
              onCreate(name.trim());
              setName('');
              setOpen(false);
            }}
          >
            <input
              className="min-w-0 flex-1 rounded border border-edge bg-surface px-2 py-1 text-xs text-gray-100 outline-none focus:border-accent"
              placeholder="New branch name"
              aria-label="New branch name"
              value={name}
              onChange={(event) => setName(event.target.value)}
              data-testid="git-new-branch"
            />
            <button
              type="submit"
              className="rounded bg-accent px-2 text-xs text-white disabled:opacity-40"
              disabled={busy || !name.trim()}
            >
              Create
            </button>
          </form>
          <ul className="max-h-64 overflow-auto py-1 text-xs">
            {branches === null ? <li className="px-3 py-1 text-muted">Loading branches…</li> : null}
            {branches
              ?.filter((candidate) => candidate.current)
              .map((candidate) => (
                <li
                  key={candidate.name}
                  className="flex items-center gap-1 px-3 py-1 text-gray-100"
                  title="The current branch"
                  data-testid="git-branch-current"
                >
                  <span aria-hidden className="text-accent">
                    ✓
                  </span>
                  <span className="min-w-0 flex-1 truncate">{candidate.name}</span>
                </li>
              ))}
            {branches !== null && others.length === 0 ? (
              <li className="px-3 py-1 text-muted">No other branches</li>
            ) : null}
            {others.map((candidate) => (
              <li
                key={candidate.name}
                className="group flex items-center gap-1 pl-1 pr-1 hover:bg-panel-2"
                data-testid="git-branch-item"
                data-name={candidate.name}
              >
                <button
                  type="button"
                  role="menuitem"
                  className="min-w-0 flex-1 truncate px-2 py-1 text-left text-gray-100"
                  title={`Switch to ${candidate.name}`}
                  disabled={busy}
                  onClick={() => {
                    onSwitch(candidate.name);
                    setOpen(false);
                  }}
                  data-testid="git-branch-switch"
                >
                  {candidate.name}
                </button>
                <button
                  type="button"
                  role="menuitem"
                  className="rounded px-1.5 py-0.5 text-muted hover:bg-surface hover:text-gray-100"
                  title={`Merge ${candidate.name} into ${branch ?? 'HEAD'}`}
                  disabled={busy}
                  onClick={() => {
                    onMerge(candidate.name);
                    setOpen(false);
                  }}
                  data-testid="git-branch-merge"
                >
                  Merge
                </button>
                <button
                  type="button"
                  role="menuitem"
                  className="rounded px-1.5 py-0.5 text-muted hover:bg-danger/10 hover:text-danger"
                  title={`Delete ${candidate.name}`}
                  aria-label={`Delete ${candidate.name}`}
                  disabled={busy}
                  onClick={() => {
                    onDelete(candidate.name);
                    setOpen(false);
                  }}
                  data-testid="git-branch-delete"
                >
                  ✕
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
