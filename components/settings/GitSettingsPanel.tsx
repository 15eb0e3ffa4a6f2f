'use client';
// /settings/git: the user's git tokens, one per host (issue 13), used for fetch, pull and push from
// the Source Control panel. Tokens are write-only: the list shows the last characters the server
// sends back (masked), never the token. Saving a host that has a token replaces it.
// `?host=` prefills the host (the panel links here when a host refused or wanted a token).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { GitCredentialDto } from '@/server/contracts';
import { api, ApiError, firstFieldError } from '../api-client';
import { AppHeader } from '../AppHeader';
import { relativeTime } from '../dashboard/relative-time';
import { Button } from '../ui/Button';
import { TextField } from '../ui/TextField';

const path = '/me/git-credentials';
/** What the server uses when no username is given (GitHub and GitLab accept any name with a token). */
const DEFAULT_USERNAME = 'x-access-token';

interface Draft {
  host: string;
  username: string;
  token: string;
}

const emptyDraft: Draft = { host: '', username: '', token: '' };

const focusToken = (form: HTMLFormElement | null) =>
  form?.querySelector<HTMLInputElement>('input[name="token"]')?.focus();

export function GitSettingsPanel() {
  const [credentials, setCredentials] = useState<GitCredentialDto[] | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    api<GitCredentialDto[]>(path).then(setCredentials, setError);
    const host = new URLSearchParams(window.location.search).get('host');
    if (host) {
      setDraft((current) => ({ ...current, host }));
      focusToken(form.current);
    }
  }, []);

  const edit = (field: keyof Draft) => (event: { target: { value: string } }) => {
    const value = event.target.value;
    setDraft((current) => ({ ...current, [field]: value }));
    setNotice(null);
  };

  async function onSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const username = draft.username.trim();
      const saved = await api<GitCredentialDto>(path, {
        method: 'PUT',
        body: { host: draft.host, token: draft.token, ...(username ? { username } : {}) },
      });
      const replaced = credentials?.some((entry) => entry.host === saved.host) ?? false;
      setCredentials((list) =>
        [...(list ?? []).filter((entry) => entry.host !== saved.host), saved].sort((a, b) =>
          a.host.localeCompare(b.host),
        ),
      );
      setDraft(emptyDraft);
      setNotice(`${replaced ? 'Replaced' : 'Saved'} the token for ${saved.host}.`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  async function remove(host: string) {
    setError(null);
    setNotice(null);
    try {
      await api(`${path}?${new URLSearchParams({ host }).toString()}`, { method: 'DELETE' });
      setNotice(`Removed the token for ${host}.`);
    } catch (caught) {
      // 404: already gone (another tab): the list below is read again either way.
      if (!(caught instanceof ApiError && caught.status === 404)) setError(caught);
    }
    api<GitCredentialDto[]>(path).then(setCredentials, setError);
  }

  /** Replace: the host (and username) go into the form, the token is typed again. */
  function replace(entry: GitCredentialDto) {
    setDraft({ host: entry.host, username: entry.username ?? '', token: '' });
    setError(null);
    setNotice(null);
    focusToken(form.current);
  }

  const formError =
    error instanceof ApiError
      ? error.body.fieldErrors
        ? null
        : error.message
      : error
        ? error instanceof Error
          ? error.message
          : String(error)
        : null;

  return (
    <div className="flex min-h-full flex-col">
      <AppHeader />
      <main className="mx-auto w-full max-w-3xl px-4 py-8" data-testid="git-settings-page">
        <h1 className="text-xl font-semibold">Git</h1>
        <p className="mt-1 text-sm text-muted">
          Tokens for the git hosts you push to and pull from in the Source Control panel, one per host. They are stored
          encrypted, handed to git for one command at a time, never written into a project’s{' '}
          <code className="rounded bg-panel-2 px-1">.git/config</code>, and never shown again.
        </p>

        <form
          ref={form}
          onSubmit={onSave}
          className="mt-6 flex flex-col gap-3 rounded-lg border border-edge bg-panel p-4"
          data-testid="git-credential-form"
          noValidate
        >
          <h2 className="font-semibold">Add or replace a token</h2>
          <p className="-mt-2 text-sm text-muted">
            A personal access token with read and write access to the repositories (GitHub: Contents; GitLab:
            read_repository and write_repository). Saving a host that already has a token replaces it.
          </p>
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField
              label="Host"
              name="host"
              value={draft.host}
              onChange={edit('host')}
              placeholder="github.com"
              autoComplete="off"
              spellCheck={false}
              error={firstFieldError(error, 'host')}
            />
            <TextField
              label="Username (optional)"
              name="username"
              value={draft.username}
              onChange={edit('username')}
              placeholder={DEFAULT_USERNAME}
              autoComplete="off"
              spellCheck={false}
              error={firstFieldError(error, 'username')}
            />
          </div>
          <TextField
            label="Token"
            name="token"
            type="password"
            value={draft.token}
            onChange={edit('token')}
            placeholder="ghp_…"
            autoComplete="off"
            error={firstFieldError(error, 'token')}
          />
          <div className="flex items-center gap-2">
            <Button type="submit" disabled={busy} data-testid="git-credential-save">
              {busy ? 'Saving…' : 'Save token'}
            </Button>
            <span className="text-sm text-muted" role="status" data-testid="git-settings-status">
              {notice ?? ''}
            </span>
          </div>
          {formError ? (
            <p className="text-sm text-danger" role="alert" data-testid="git-settings-error">
              {formError}
            </p>
          ) : null}
        </form>

        <h2 className="mt-8 font-semibold">Saved tokens</h2>
        <ul
          className="mt-2 divide-y divide-edge rounded-lg border border-edge bg-panel"
          data-testid="git-credential-list"
        >
          {credentials === null ? <li className="p-4 text-sm text-muted">Loading…</li> : null}
          {credentials?.length === 0 ? (
            <li className="p-4 text-sm text-muted" data-testid="git-credentials-empty">
              No tokens yet. Pushes and pulls to a host without one go without credentials.
            </li>
          ) : null}
          {credentials?.map((entry) => (
            <li
              key={entry.host}
              className="flex items-center gap-4 px-4 py-3 text-sm"
              data-testid="git-credential-row"
              data-host={entry.host}
            >
              <div className="min-w-0 flex-1">
                <p className="truncate font-medium">{entry.host}</p>
                <p className="text-xs text-muted">
                  {entry.username ?? `${DEFAULT_USERNAME} (default)`} ·{' '}
                  <code className="rounded bg-panel-2 px-1" data-testid="git-credential-masked">
                    {entry.tokenMasked}
                  </code>{' '}
                  ·{' '}
                  <span title={new Date(entry.updatedAt).toLocaleString()}>saved {relativeTime(entry.updatedAt)}</span>
                </p>
              </div>
              <Button variant="ghost" onClick={() => replace(entry)} data-testid="git-credential-replace">
                Replace
              </Button>
              <Button
                variant="ghost-danger"
                onClick={() => void remove(entry.host)}
                data-testid="git-credential-remove"
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      </main>
    </div>
  );
}
