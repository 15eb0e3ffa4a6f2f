'use client';
// /reset-password?token=…: a one-time link (from an admin or a mail) lets its holder choose a
// new password; every session of the account ends.
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import type { ApiErrorBody } from '@/server/contracts';
import { Button } from '../ui/Button';
import { TextField } from '../ui/TextField';

type State =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'done' }
  | { status: 'invalid_link' }
  | { status: 'error'; body: ApiErrorBody | null; mismatch?: boolean };

export function ResetPasswordForm({ token }: { token: string | undefined }) {
  const [state, setState] = useState<State>(token ? { status: 'idle' } : { status: 'invalid_link' });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const newPassword = String(data.get('newPassword') ?? '');
    if (newPassword !== String(data.get('confirmPassword') ?? ''))
      return setState({ status: 'error', body: null, mismatch: true });
    setState({ status: 'saving' });
    const response = await fetch('/api/v1/auth/reset-password', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, newPassword }),
    }).catch(() => null);
    if (response?.status === 204) return setState({ status: 'done' });
    const body = (await response?.json().catch(() => null)) as ApiErrorBody | null;
    setState(body?.error === 'invalid_link' ? { status: 'invalid_link' } : { status: 'error', body });
  }

  switch (state.status) {
    case 'done':
      return (
        <p role="status" className="text-sm" data-testid="reset-password-done">
          Password changed —{' '}
          <Link href="/signin" className="text-accent hover:underline">
            sign in
          </Link>
          .
        </p>
      );
    case 'invalid_link':
      return (
        <div role="alert" className="flex flex-col gap-3 text-sm" data-testid="reset-password-invalid">
          <p className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-danger">
            This link is invalid or has expired (each link works once).
          </p>
          <p className="text-muted">
            Ask for a new one from{' '}
            <Link href="/signin" className="text-accent hover:underline">
              the sign-in page
            </Link>{' '}
            or from an administrator.
          </p>
        </div>
      );
    case 'idle':
    case 'saving':
    case 'error': {
      const error = state.status === 'error' ? state : null;
      return (
        <form onSubmit={onSubmit} className="flex flex-col gap-4" data-testid="reset-password-form">
          <TextField
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            maxLength={200}
            autoFocus
            error={error?.body?.fieldErrors?.newPassword?.[0]}
          />
          <TextField
            label="Confirm new password"
            name="confirmPassword"
            type="password"
            autoComplete="new-password"
            required
            error={error?.mismatch ? 'The two passwords differ' : undefined}
          />
          {error && !error.mismatch && !error.body?.fieldErrors ? (
            <p className="text-sm text-danger">{error.body?.message ?? 'Could not reach Berth. Try again.'}</p>
          ) : null}
          <Button type="submit" disabled={state.status === 'saving'}>
            {state.status === 'saving' ? 'Saving…' : 'Set new password'}
          </Button>
        </form>
      );
    }
    default: {
      const exhaustive: never = state;
      return exhaustive;
    }
  }
}
