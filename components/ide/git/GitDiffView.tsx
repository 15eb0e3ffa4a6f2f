'use client';
// The editor area while a source-control diff is open: a changed file (index vs working tree, or
// HEAD vs index when staged) or one file of a commit. It follows the status (a save, a stage), and
// Escape or ✕ goes back to the editor.
import { useEffect, useRef, useState } from 'react';
import type { GitDiffDto } from '@/server/contracts';
import { errorText } from '../history/snapshots-api';
import { gitDiff } from './git-api';
import { GitDiff } from './GitDiff';
import { diffSides, type GitDiffTarget } from './git-view';

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; diff: Pick<GitDiffDto, 'original' | 'modified' | 'binary' | 'tooLarge'>; version: number };

export function GitDiffView({
  projectId,
  target,
  tick,
  onClose,
}: {
  projectId: string;
  target: GitDiffTarget;
  /** Changes when the status does: the working-tree side is fetched again. */
  tick: number;
  onClose(): void;
}) {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const path = target.kind === 'working' ? target.path : target.file.path;
  const staged = target.kind === 'working' && target.staged;

  useEffect(() => {
    if (target.kind === 'commit') {
      setLoad((previous) => ({
        status: 'ready',
        diff: target.file,
        version: previous.status === 'ready' ? previous.version + 1 : 0,
      }));
      return;
    }
    let cancelled = false;
    gitDiff(projectId, target.path, target.staged).then(
      (diff) => {
        if (cancelled) return;
        setLoad((previous) => {
          // Same text again (a status refresh that did not touch this file): keep the widget and its scroll.
          if (
            previous.status === 'ready' &&
            previous.diff.original === diff.original &&
            previous.diff.modified === diff.modified
          )
            return previous;
          return { status: 'ready', diff, version: previous.status === 'ready' ? previous.version + 1 : 0 };
        });
      },
      (error: unknown) => {
        if (!cancelled) setLoad({ status: 'error', message: errorText(error, 'Could not load the diff') });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [projectId, target, tick]);

  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Only when focus is in the diff, the panel or nowhere: Escape in the terminal belongs to the shell.
      const focus = document.activeElement;
      const ours =
        !focus ||
        focus === document.body ||
        Boolean(root.current?.contains(focus) || focus.closest('[data-testid="git-panel"]'));
      if (event.key === 'Escape' && ours && !document.querySelector('dialog[open]')) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const sides = diffSides(target);
  return (
    <div
      ref={root}
      className="flex h-full flex-col bg-surface"
      data-testid="git-diff-view"
      data-path={path}
      data-staged={String(staged)}
      data-status={load.status}
    >
      <div className="flex h-8 shrink-0 items-center gap-2 border-b border-edge bg-panel-2 pl-3 pr-1 text-xs">
        <span className="min-w-0 flex-1 truncate">
          <span className="font-medium text-gray-100">{path}</span>
          <span className="text-muted">
            {' '}
            ·{' '}
            {target.kind === 'commit'
              ? `${target.hash.slice(0, 7)} ${target.subject}`
              : target.staged
                ? 'staged changes'
                : 'working tree changes'}
          </span>
        </span>
        <button
          type="button"
          className="flex h-6 w-6 items-center justify-center rounded text-muted hover:bg-surface hover:text-gray-100"
          aria-label="Close the diff (Escape)"
          title="Close (Escape)"
          onClick={onClose}
          data-testid="close-git-diff"
        >
          ✕
        </button>
      </div>
      <div className="flex shrink-0 border-b border-edge text-[11px] uppercase tracking-wide text-muted">
        <span className="flex-1 px-3 py-1">{sides.original}</span>
        <span className="flex-1 px-3 py-1">{sides.modified}</span>
      </div>
      <div className="min-h-0 flex-1">
        {load.status === 'loading' ? <p className="p-4 text-center text-xs text-muted">Loading the diff…</p> : null}
        {load.status === 'error' ? (
          <p role="alert" className="whitespace-pre-wrap p-4 text-center text-sm text-danger">
            {load.message}
          </p>
        ) : null}
        {load.status === 'ready' && (load.diff.binary || load.diff.tooLarge) ? (
          <p className="p-4 text-center text-sm text-muted">
            {path} {load.diff.binary ? 'is a binary file' : 'is too large to compare here'}: no text comparison.
          </p>
        ) : null}
        {/* A fresh diff widget per load: updating the models in place left stale change marks. */}
        {load.status === 'ready' && !load.diff.binary && !load.diff.tooLarge ? (
          <GitDiff key={load.version} path={path} original={load.diff.original} modified={load.diff.modified} />
        ) : null}
      </div>
    </div>
  );
}
