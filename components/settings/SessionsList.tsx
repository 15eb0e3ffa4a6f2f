'use client';
// The browsers signed in to this account: this one marked, the others can be signed out one by
// one, or all at once with this one too ("Sign out everywhere").
import { signOut } from 'next-auth/react';
import { useEffect, useState } from 'react';
import type { SessionDto } from '@/server/contracts';
import { api } from '../api-client';
import { relativeTime } from '../dashboard/relative-time';
import { Button } from '../ui/Button';
import { describeUserAgent } from './user-agent';

type LoadState =
  { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; sessions: SessionDto[] };

/** `reloadKey` changes when something else ended sessions (a password change). */
export function SessionsList({ reloadKey }: { reloadKey: number }) {
  const [state, setState] = useState<LoadState>({ status: 'loading' });
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    api<SessionDto[]>('/me/sessions').then(
      (sessions) => setState({ status: 'ready', sessions }),
      (error: unknown) =>
        setState({ status: 'error', message: error instanceof Error ? error.message : 'Could not load sessions' }),
    );
  }, [reloadKey]);

  async function end(id: string) {
    setBusy(id);
    try {
      await api(`/me/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
      setState((current) =>
        current.status === 'ready'
          ? { status: 'ready', sessions: current.sessions.filter((session) => session.id !== id) }
          : current,
      );
    } finally {
      setBusy(null);
    }
  }

  async function signOutEverywhere() {
    setBusy('all');
    // The others first (the server keeps the caller's), then this one through next-auth.
    await api('/me/sessions', { method: 'DELETE' });
    await signOut({ callbackUrl: '/signin' });
  }

  const sessions = state.status === 'ready' ? state.sessions : [];
  return (
    <div>
      <ul
        className="divide-y divide-edge rounded-lg border border-edge bg-panel"
        data-testid="session-list"
        data-status={state.status}
      >
        {state.status === 'loading' ? <li className="p-4 text-sm text-muted">Loading…</li> : null}
        {state.status === 'error' ? <li className="p-4 text-sm text-danger">{state.message}</li> : null}
        {sessions.map((session) => (
          <li
            key={session.id}
            className="flex items-center gap-4 px-4 py-3 text-sm"
            data-testid="session-row"
            data-current={session.current}
          >
            <div className="min-w-0 flex-1">
              <p className="font-medium">
                {describeUserAgent(session.userAgent)}
                {session.current ? (
                  <span className="ml-2 rounded bg-accent/20 px-1.5 py-0.5 text-xs text-accent">This device</span>
                ) : null}
              </p>
              <p className="text-xs text-muted" title={`Signed in ${new Date(session.createdAt).toLocaleString()}`}>
                {session.ip ?? 'unknown address'} · last seen {relativeTime(session.lastSeenAt)}
              </p>
            </div>
            {session.current ? null : (
              <Button variant="ghost-danger" disabled={busy !== null} onClick={() => void end(session.id)}>
                Sign out
              </Button>
            )}
          </li>
        ))}
      </ul>
      <Button
        variant="secondary"
        className="mt-3"
        disabled={busy !== null}
        onClick={() => void signOutEverywhere()}
        data-testid="sign-out-everywhere"
      >
        {busy === 'all' ? 'Signing out…' : 'Sign out everywhere'}
      </Button>
    </div>
  );
}
