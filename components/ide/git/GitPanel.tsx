'use client';
// The Source Control sidebar (Ctrl+Shift+G): "Initialize repository" for a project without one;
// otherwise the branch menu, the commit box (Ctrl+Enter commits, Amend), the status grouped as
// Conflicts / Staged / Changes / Untracked with stage, unstage and discard, the remotes, and the
// branch's log. Git's refusals are shown as git said them.
import { useCallback, useState, type RefObject } from 'react';
import type { GitStatusDto } from '@/server/contracts';
import { BranchMenu } from './BranchMenu';
import { ChangeGroup, type GroupActions } from './ChangeGroup';
import { CommitBox } from './CommitBox';
import { ConfirmDialog, type Confirmation } from '../../ui/ConfirmDialog';
import {
  gitCheckout,
  gitCommit,
  gitCreateBranch,
  gitDeleteBranch,
  gitInit,
  gitMerge,
  gitPaths,
  gitSync,
  type PathsAction,
} from './git-api';
import { GitBanner } from './GitBanner';
import { GitHistory } from './GitHistory';
import { diffForEntry, diffTargetKey, gitErrorText, statusGroups, syncNotice, type GroupId } from './git-view';
import { RemotesSection } from './RemotesSection';
import { SyncBar, type SyncAction } from './SyncBar';
import type { GitStatusState, GitView } from './use-git';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

export function GitPanel({
  projectId,
  running,
  git,
  view,
  messageRef,
}: {
  projectId: string;
  running: boolean;
  git: GitStatusState;
  view: GitView;
  messageRef: RefObject<HTMLTextAreaElement | null>;
}) {
  const { status, loadError, refresh, accept, onProgress } = git;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const [syncing, setSyncing] = useState<SyncAction | null>(null);

  /** Runs one git action; a refusal shows git's message, and the status is read again either way. */
  const run = useCallback(
    async (action: () => Promise<GitStatusDto | void>, success?: string) => {
      setBusy(true);
      setError(null);
      setNotice(null);
      try {
        const next = await action();
        if (next) accept(next);
        else await refresh();
        if (success) setNotice(success);
        return true;
      } catch (cause) {
        setError(gitErrorText(cause));
        void refresh();
        return false;
      } finally {
        setBusy(false);
      }
    },
    [accept, refresh],
  );

  const paths = (action: PathsAction) => (list: string[]) => void run(() => gitPaths(projectId, action, list));
  const askDiscard = (list: string[], untracked: boolean) =>
    setConfirmation({
      title:
        list.length === 1 ? `Discard changes to ${list[0]}?` : `Discard changes to ${plural(list.length, 'file')}?`,
      text: untracked
        ? `${list.length === 1 ? 'This untracked file is' : 'These untracked files are'} deleted. This cannot be undone.`
        : 'The working tree goes back to the staged (or committed) version. This cannot be undone.',
      action: untracked ? 'Delete' : 'Discard',
      run: paths('discard').bind(null, list),
    });
  const actionsFor = (group: GroupId): GroupActions => {
    switch (group) {
      case 'staged':
        return { unstage: paths('unstage') };
      case 'changes':
        return { stage: paths('stage'), discard: (list) => askDiscard(list, false) };
      case 'untracked':
        return { stage: paths('stage'), discard: (list) => askDiscard(list, true) };
      case 'conflicts':
        // Staging a resolved file marks the conflict resolved, as `git add` does.
        return { stage: paths('stage') };
    }
  };

  const commit = (message: string, amend: boolean) =>
    run(async () => {
      const made = await gitCommit(projectId, message, amend);
      setNotice(`Committed ${made.hash.slice(0, 7)} ${made.subject}`);
    });

  /** Fetch, pull or push; the button spins until git is done, every other action waits. */
  const sync = (action: SyncAction, ahead: number) =>
    void run(async () => {
      setSyncing(action);
      try {
        const result = await gitSync(projectId, action);
        if (result.outcome === 'conflicts')
          setError(`${result.message}\nResolve the conflicts, stage the files, then commit.`);
        else setNotice(syncNotice(result, ahead));
      } finally {
        setSyncing(null);
      }
    });

  const header = (
    <div className="flex h-8 shrink-0 items-center gap-1 border-b border-edge bg-panel-2 pl-3 pr-1">
      <span className="flex-1 truncate text-xs font-semibold uppercase tracking-wide text-muted">Source control</span>
      <button
        type="button"
        className="flex h-6 w-6 items-center justify-center rounded text-muted hover:bg-surface hover:text-gray-100 disabled:opacity-40"
        title="Refresh"
        aria-label="Refresh"
        disabled={!running}
        onClick={() => void refresh()}
        data-testid="git-refresh"
      >
        ⟳
      </button>
    </div>
  );

  const state = !running
    ? 'stopped'
    : status
      ? status.initialized
        ? 'ready'
        : 'none'
      : loadError
        ? 'error'
        : 'loading';
  const groups = status?.initialized ? statusGroups(status) : [];
  const openKey = view.diff ? diffTargetKey(view.diff) : null;

  return (
    <div className="flex h-full flex-col bg-panel" data-testid="git-panel" data-status={state}>
      {header}
      {error ? <GitBanner kind="error" text={error} onDismiss={() => setError(null)} /> : null}
      {notice ? <GitBanner kind="notice" text={notice} onDismiss={() => setNotice(null)} /> : null}
      {state === 'stopped' ? (
        <p className="px-3 py-2 text-xs text-muted">Start the workspace to use source control.</p>
      ) : null}
      {state === 'loading' ? <p className="px-3 py-2 text-xs text-muted">Reading the repository…</p> : null}
      {state === 'error' ? (
        <p role="alert" className="whitespace-pre-wrap px-3 py-2 text-xs text-danger">
          {loadError}{' '}
          <button type="button" className="underline" onClick={() => void refresh()}>
            Retry
          </button>
        </p>
      ) : null}
      {state === 'none' ? (
        <div className="flex flex-col gap-2 px-3 py-3 text-xs text-muted">
          <p>This project has no git repository.</p>
          <button
            type="button"
            className="rounded bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-accent/90 disabled:opacity-50"
            disabled={busy}
            onClick={() => void run(() => gitInit(projectId))}
            data-testid="git-init"
          >
            Initialize repository
          </button>
        </div>
      ) : null}
      {state === 'ready' && status ? (
        <div className="flex min-h-0 flex-1 flex-col">
          <div className="shrink-0 border-b border-edge px-2 py-2">
            <BranchMenu
              projectId={projectId}
              branch={status.branch}
              head={status.head}
              busy={busy}
              tick={`${status.branch ?? ''}@${status.head ?? ''}`}
              onError={setError}
              onSwitch={(name) => void run(() => gitCheckout(projectId, name), `Switched to ${name}`)}
              onCreate={(name) =>
                void run(async () => {
                  await gitCreateBranch(projectId, name);
                  return gitCheckout(projectId, name);
                }, `Created and switched to ${name}`)
              }
              onMerge={(name) =>
                void run(async () => {
                  const result = await gitMerge(projectId, name);
                  setNotice(null);
                  if (result.outcome === 'conflicts')
                    setError(`${result.message}\nResolve the conflicts, stage the files, then commit.`);
                  else
                    setNotice(
                      result.message || (result.outcome === 'up-to-date' ? 'Already up to date.' : `Merged ${name}`),
                    );
                })
              }
              onDelete={(name) =>
                setConfirmation({
                  title: `Delete branch ${name}?`,
                  text: 'Git refuses if the branch is not merged.',
                  action: 'Delete branch',
                  run: () => void run(() => gitDeleteBranch(projectId, name), `Deleted branch ${name}`),
                })
              }
            />
            <SyncBar
              status={status}
              busy={busy}
              syncing={syncing}
              onSync={(action) => sync(action, status.ahead)}
              onProgress={onProgress}
            />
            <CommitBox status={status} busy={busy} messageRef={messageRef} onCommit={commit} />
          </div>
          <div className="min-h-0 flex-1 overflow-auto">
            {groups.length === 0 ? (
              <p className="px-3 py-2 text-xs text-muted" data-testid="git-clean">
                No changes.
              </p>
            ) : (
              groups.map((group) => (
                <ChangeGroup
                  key={group.id}
                  group={group}
                  actions={actionsFor(group.id)}
                  openKey={
                    view.diff?.kind === 'working' && view.diff.staged === (group.id === 'staged')
                      ? view.diff.path
                      : null
                  }
                  onOpen={(entry) => view.setDiff(diffForEntry(group.id, entry.path))}
                />
              ))
            )}
            <RemotesSection
              projectId={projectId}
              tick={`${status.branch ?? ''}@${status.head ?? ''}@${status.upstream ?? ''}`}
              busy={busy}
              onConfirm={setConfirmation}
              onChanged={(text) => {
                setError(null);
                setNotice(text);
              }}
            />
            <div className="flex h-6 items-center border-t border-edge pl-3 text-[11px] font-semibold uppercase tracking-wide text-muted">
              History{status.branch ? ` · ${status.branch}` : ''}
            </div>
            <GitHistory projectId={projectId} head={status.head} openKey={openKey} onOpen={view.setDiff} />
          </div>
        </div>
      ) : null}
      <ConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(null)} testId="git-confirm" />
    </div>
  );
}
