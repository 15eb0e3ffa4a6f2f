'use client';
import { useEffect, useState, type FormEvent } from 'react';
import type { CreatedTokenDto, TokenDto } from '@/server/contracts';
import { api, firstFieldError } from '../api-client';
import { AppHeader } from '../AppHeader';
import { relativeTime } from '../dashboard/relative-time';
import { Button } from '../ui/Button';
import { TextField } from '../ui/TextField';

export function TokensPanel() {
  const [tokens, setTokens] = useState<TokenDto[] | null>(null);
  const [created, setCreated] = useState<CreatedTokenDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    api<TokenDto[]>('/tokens').then(setTokens, setError);
  }, []);

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get('name') ?? '');
    setError(null);
    try {
      const token = await api<CreatedTokenDto>('/tokens', { method: 'POST', body: { name } });
      setCreated(token);
      setCopied(false);
      setTokens((list) => [token, ...(list ?? [])]);
      form.reset();
    } catch (caught) {
      setError(caught);
    }
  }

  async function revoke(id: string) {
    await api(`/tokens/${id}`, { method: 'DELETE' });
    setTokens((list) => (list ?? []).filter((token) => token.id !== id));
    if (created?.id === id) setCreated(null);
  }

  return (
    <div className="flex min-h-full flex-col">
      <AppHeader />
      <main className="mx-auto w-full max-w-3xl px-4 py-8">
        <h1 className="text-xl font-semibold">Personal access tokens</h1>
        <p className="mt-1 text-sm text-muted">
          Use a token as <code className="rounded bg-panel-2 px-1">Authorization: Bearer &lt;token&gt;</code> on the
          REST API and Socket.IO.
        </p>

        <form onSubmit={onCreate} className="mt-6 flex items-end gap-2" data-testid="new-token-form">
          <div className="flex-1">
            <TextField
              label="Token name"
              name="name"
              required
              maxLength={64}
              placeholder="ci-scripts"
              error={firstFieldError(error, 'name')}
            />
          </div>
          <Button type="submit" className="h-[38px]">
            Create token
          </Button>
        </form>

        {created ? (
          <div
            className="mt-4 rounded-md border border-green-600/50 bg-green-600/10 p-4 text-sm"
            data-testid="created-token"
          >
            <p className="font-medium">Copy your new token now — it will not be shown again.</p>
            <div className="mt-2 flex items-center gap-2">
              <code
                className="flex-1 overflow-x-auto rounded bg-surface px-2 py-1.5 font-mono text-xs"
                data-testid="created-token-value"
              >
                {created.token}
              </code>
              <Button
                variant="secondary"
                onClick={() =>
                  void navigator.clipboard?.writeText(created.token).then(
                    () => setCopied(true),
                    () => undefined,
                  )
                }
              >
                {copied ? 'Copied' : 'Copy'}
              </Button>
            </div>
          </div>
        ) : null}

        <ul className="mt-6 divide-y divide-edge rounded-lg border border-edge bg-panel" data-testid="token-list">
          {tokens === null ? <li className="p-4 text-sm text-muted">Loading…</li> : null}
          {tokens?.length === 0 ? <li className="p-4 text-sm text-muted">No tokens yet.</li> : null}
          {tokens?.map((token) => (
            <li key={token.id} className="flex items-center gap-4 px-4 py-3 text-sm" data-testid="token-row">
              <div className="min-w-0 flex-1">
                <p className="font-medium">{token.name}</p>
                <p className="text-xs text-muted">
                  <code>{token.prefix}…</code> · made {relativeTime(token.createdAt)} ·{' '}
                  {token.lastUsedAt ? `used ${relativeTime(token.lastUsedAt)}` : 'never used'}
                </p>
              </div>
              <Button variant="ghost-danger" onClick={() => void revoke(token.id)}>
                Revoke
              </Button>
            </li>
          ))}
        </ul>
      </main>
    </div>
  );
}
