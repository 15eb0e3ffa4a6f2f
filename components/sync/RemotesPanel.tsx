'use client';
// /settings/remotes: other Berths this one syncs with (issue 18). A remote is a URL and a personal
// access token made there; Berth checks it at once and says whom it signs in as and how many
// projects it reaches (or why it was refused). Tokens are stored sealed and only shown masked.
import { useEffect, useState, type FormEvent } from 'react';
import type { RemoteDto } from '@/server/contracts';
import { ApiError, firstFieldError } from '../api-client';
import { AppHeader } from '../AppHeader';
import { Button } from '../ui/Button';
import { ConfirmDialog, type Confirmation } from '../ui/ConfirmDialog';
import { TextField } from '../ui/TextField';
import { accountText } from './remote-account';
import { RemoteRow } from './RemoteRow';
import { createRemote, deleteRemote, errorText, listRemotes } from './sync-api';

interface Draft {
  url: string;
  token: string;
  name: string;
}
const emptyDraft: Draft = { url: '', token: '', name: '' };

/** The check's answer right under the form: the new remote's account, or the refusal's reason. */
type Answer = { ok: true; text: string } | { ok: false; text: string };

export function RemotesPanel() {
  const [remotes, setRemotes] = useState<RemoteDto[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [formError, setFormError] = useState<unknown>(null);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);

  useEffect(() => {
    listRemotes().then(setRemotes, (caught: unknown) => setLoadError(errorText(caught)));
  }, []);

  const edit = (field: keyof Draft) => (event: { target: { value: string } }) => {
    const value = event.target.value;
    setDraft((current) => ({ ...current, [field]: value }));
  };

  async function onAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setFormError(null);
    setAnswer(null);
    try {
      const name = draft.name.trim();
      const remote = await createRemote({
        url: draft.url.trim().replace(/\/+$/, ''),
        token: draft.token.trim(),
        ...(name ? { name } : {}),
      });
      setRemotes((list) => [remote, ...(list ?? []).filter((item) => item.id !== remote.id)]);
      const check = accountText(remote);
      setAnswer(check.ok ? { ok: true, text: `Added ${remote.name}: ${check.text}` } : check);
      setDraft(emptyDraft);
    } catch (caught) {
      setFormError(caught);
      // Field errors show under their fields; anything else (the remote's refusal) right here.
      if (!(caught instanceof ApiError && caught.body.fieldErrors)) setAnswer({ ok: false, text: errorText(caught) });
    } finally {
      setBusy(false);
    }
  }

  function askRemove(remote: RemoteDto) {
    setConfirmation({
      title: `Remove ${remote.name}?`,
      text: `Berth forgets this remote and its token. Projects linked to it stop syncing; nothing is deleted on either side.`,
      action: 'Remove remote',
      run: () => {
        deleteRemote(remote.id).then(
          () => setRemotes((list) => (list ?? []).filter((item) => item.id !== remote.id)),
          (caught: unknown) => setLoadError(errorText(caught)),
        );
      },
    });
  }

  return (
    <div className="flex min-h-full flex-col">
      <AppHeader />
      <main className="mx-auto w-full max-w-3xl px-4 py-8">
        <h1 className="text-xl font-semibold">Remotes</h1>
        <p className="mt-1 text-sm text-muted">
          Other Berth servers (a team server, your laptop) to sync projects with. Make a personal access token on the
          other Berth (Access tokens there) and paste it here.
        </p>

        <form onSubmit={onAdd} className="mt-6 flex flex-col gap-3" data-testid="new-remote-form">
          <div className="grid gap-3 sm:grid-cols-[2fr_1fr]">
            <TextField
              label="Berth URL"
              name="url"
              type="url"
              required
              placeholder="https://berth.example.com"
              value={draft.url}
              onChange={edit('url')}
              error={firstFieldError(formError, 'url')}
              data-testid="remote-url"
            />
            <TextField
              label="Name (optional)"
              name="name"
              maxLength={64}
              placeholder="team"
              value={draft.name}
              onChange={edit('name')}
              error={firstFieldError(formError, 'name')}
              data-testid="remote-name"
            />
          </div>
          <div className="flex items-end gap-2">
            <div className="flex-1">
              <TextField
                label="Access token made there"
                name="token"
                type="password"
                autoComplete="off"
                required
                maxLength={200}
                placeholder="berth_…"
                value={draft.token}
                onChange={edit('token')}
                error={firstFieldError(formError, 'token')}
                data-testid="remote-token"
              />
            </div>
            <Button type="submit" className="h-[38px]" disabled={busy} data-testid="remote-add">
              {busy ? 'Checking…' : 'Add remote'}
            </Button>
          </div>
        </form>

        {answer ? (
          <p
            role={answer.ok ? 'status' : 'alert'}
            data-testid="remote-check"
            data-status={answer.ok ? 'ok' : 'refused'}
            className={`mt-3 rounded-md border px-3 py-2 text-sm ${answer.ok ? 'border-green-600/50 bg-green-600/10 text-green-300' : 'border-danger/40 bg-danger/10 text-danger'}`}
          >
            {answer.ok ? '✓ ' : ''}
            {answer.text}
          </p>
        ) : null}
        {loadError ? (
          <p role="alert" className="mt-3 text-sm text-danger">
            {loadError}
          </p>
        ) : null}

        <ul className="mt-6 divide-y divide-edge rounded-lg border border-edge bg-panel" data-testid="remote-list">
          {remotes === null && !loadError ? <li className="p-4 text-sm text-muted">Loading…</li> : null}
          {remotes?.length === 0 ? <li className="p-4 text-sm text-muted">No remotes yet.</li> : null}
          {remotes?.map((remote) => (
            <RemoteRow key={remote.id} remote={remote} onRemove={() => askRemove(remote)} />
          ))}
        </ul>
      </main>
      <ConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(null)} testId="remote-remove-confirm" />
    </div>
  );
}
