'use client';
// The repository's remotes in the Source Control panel: the list (name and fetch URL), Add (name
// and URL; the server's refusals, 400 for a URL the import rules refuse and 409 for a name git
// already has, are shown as it says them) and Remove, which asks first. Folds away; the list is
// read again when the branch, HEAD or upstream moves and after each change made here.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { GitRemoteDto } from '@/server/contracts';
import { ApiError, firstFieldError } from '../../api-client';
import type { Confirmation } from '../../ui/ConfirmDialog';
import { ErrorText } from './GitBanner';
import { gitAddRemote, gitRemotes, gitRemoveRemote } from './git-api';
import { gitErrorText } from './git-view';

const inputClass =
  'block w-full rounded border border-edge bg-surface px-2 py-1 text-xs text-gray-100 outline-none placeholder:text-muted focus:border-accent aria-[invalid=true]:border-danger';

export function RemotesSection({
  projectId,
  tick,
  busy,
  onConfirm,
  onChanged,
}: {
  projectId: string;
  /** Changes with the branch, HEAD and upstream: the list is read again. */
  tick: string;
  busy: boolean;
  onConfirm(confirmation: Confirmation): void;
  /** Something changed here (a notice for the panel). */
  onChanged(notice: string): void;
}) {
  const [open, setOpen] = useState(true);
  const [remotes, setRemotes] = useState<GitRemoteDto[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  const load = useCallback(async () => {
    try {
      setRemotes(await gitRemotes(projectId));
      setListError(null);
    } catch (cause) {
      setListError(gitErrorText(cause, 'Could not list the remotes'));
    }
  }, [projectId]);

  useEffect(() => {
    if (open) void load();
  }, [open, load, tick]);

  function startAdding() {
    setOpen(true);
    setAdding(true);
    setError(null);
    setName(remotes?.some((remote) => remote.name === 'origin') ? '' : 'origin');
    setUrl('');
  }

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const added = await gitAddRemote(projectId, name, url);
      setAdding(false);
      onChanged(`Added remote ${added.name}`);
      await load();
    } catch (cause) {
      setError(cause);
    } finally {
      setSaving(false);
    }
  }

  const remove = (remote: GitRemoteDto) =>
    onConfirm({
      title: `Remove remote ${remote.name}?`,
      text: `${remote.url}\nIts remote-tracking branches go too. The repository at that URL is not touched.`,
      action: 'Remove remote',
      run: () =>
        void gitRemoveRemote(projectId, remote.name).then(
          () => {
            onChanged(`Removed remote ${remote.name}`);
            void load();
          },
          (cause: unknown) => {
            setListError(gitErrorText(cause));
            void load();
          },
        ),
    });

  const nameError = firstFieldError(error, 'name');
  const urlError = firstFieldError(error, 'url');
  // A refusal that is not about one field (a URL the rules refuse, a name git already has).
  const formError = error && !(error instanceof ApiError && error.body.fieldErrors) ? gitErrorText(error) : null;

  return (
    <section className="border-t border-edge" data-testid="git-remotes">
      <div className="flex h-6 items-center gap-1 pl-3 pr-1 text-[11px] font-semibold uppercase tracking-wide text-muted">
        <button
          type="button"
          className="flex min-w-0 flex-1 items-center gap-1 text-left uppercase tracking-wide hover:text-gray-100"
          aria-expanded={open}
          onClick={() => setOpen((value) => !value)}
          data-testid="git-remotes-toggle"
        >
          <span className="truncate">Remotes</span>
          {remotes ? <span className="font-normal">({remotes.length})</span> : null}
          <span aria-hidden className="text-[10px]">
            {open ? '▾' : '▸'}
          </span>
        </button>
        <button
          type="button"
          title="Add a remote"
          aria-label="Add a remote"
          className="flex h-5 w-5 items-center justify-center rounded text-sm hover:bg-surface hover:text-gray-100 disabled:opacity-40"
          disabled={busy}
          onClick={startAdding}
          data-testid="git-remote-add"
        >
          +
        </button>
      </div>
      {open ? (
        <div className="pb-1">
          {listError ? (
            <p role="alert" className="whitespace-pre-wrap px-3 py-1 text-xs text-danger">
              {listError}
            </p>
          ) : null}
          {remotes?.length === 0 && !adding ? (
            <p className="px-3 py-1 text-xs text-muted" data-testid="git-remotes-empty">
              No remotes.{' '}
              <button type="button" className="underline hover:text-gray-100" onClick={startAdding}>
                Add one
              </button>{' '}
              to push and pull.
            </p>
          ) : null}
          <ul>
            {remotes?.map((remote) => (
              <li
                key={remote.name}
                className="group flex h-6 items-center gap-2 pl-5 pr-1 text-xs hover:bg-surface/60"
                data-testid="git-remote"
                data-name={remote.name}
                title={remote.url}
              >
                <span className="shrink-0 text-gray-200">{remote.name}</span>
                <span className="min-w-0 flex-1 truncate text-muted" data-testid="git-remote-url">
                  {remote.url}
                </span>
                <button
                  type="button"
                  title={`Remove ${remote.name}`}
                  aria-label={`Remove ${remote.name}`}
                  className="hidden h-5 w-5 items-center justify-center rounded text-muted hover:bg-surface hover:text-gray-100 group-focus-within:flex group-hover:flex"
                  disabled={busy}
                  onClick={() => remove(remote)}
                  data-testid="git-remote-remove"
                >
                  ✕
                </button>
              </li>
            ))}
          </ul>
          {adding ? (
            <form onSubmit={add} className="flex flex-col gap-1 px-3 py-1" data-testid="git-remote-form" noValidate>
              <input
                className={inputClass}
                placeholder="Name (origin)"
                aria-label="Remote name"
                aria-invalid={Boolean(nameError)}
                value={name}
                onChange={(event) => setName(event.target.value)}
                autoFocus={name === ''}
                spellCheck={false}
                data-testid="git-remote-name"
              />
              {nameError ? <span className="text-xs text-danger">{nameError}</span> : null}
              <input
                className={inputClass}
                placeholder="https://github.com/you/repo.git"
                aria-label="Remote URL"
                aria-invalid={Boolean(urlError)}
                value={url}
                onChange={(event) => setUrl(event.target.value)}
                autoFocus={name !== ''}
                spellCheck={false}
                data-testid="git-remote-url-input"
              />
              {urlError ? <span className="text-xs text-danger">{urlError}</span> : null}
              {formError ? (
                <p role="alert" className="flex text-xs text-danger" data-testid="git-remote-error">
                  <ErrorText text={formError} />
                </p>
              ) : null}
              <div className="flex justify-end gap-1">
                <button
                  type="button"
                  className="rounded px-2 py-0.5 text-xs text-gray-300 hover:bg-surface"
                  onClick={() => setAdding(false)}
                >
                  Cancel
                </button>
                <button
                  type="submit"
                  className="rounded bg-accent px-2 py-0.5 text-xs font-medium text-white hover:bg-accent/90 disabled:opacity-40"
                  disabled={saving || busy}
                  data-testid="git-remote-save"
                >
                  {saving ? 'Adding…' : 'Add remote'}
                </button>
              </div>
            </form>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
