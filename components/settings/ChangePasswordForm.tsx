'use client';
// Change password: the current one proves it is you; the other sessions end (the server does that).
import { useState, type FormEvent } from 'react';
import { api, ApiError, firstFieldError } from '../api-client';
import { Button } from '../ui/Button';
import { TextField } from '../ui/TextField';

type FormState =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'saved' }
  | { status: 'error'; error: unknown; mismatch?: boolean };

export function ChangePasswordForm({ onChanged }: { onChanged: () => void }) {
  const [state, setState] = useState<FormState>({ status: 'idle' });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const currentPassword = String(data.get('currentPassword') ?? '');
    const newPassword = String(data.get('newPassword') ?? '');
    if (newPassword !== String(data.get('confirmPassword') ?? '')) {
      setState({ status: 'error', error: null, mismatch: true });
      return;
    }
    setState({ status: 'saving' });
    try {
      await api('/me/password', { method: 'PUT', body: { currentPassword, newPassword } });
      form.reset();
      setState({ status: 'saved' });
      onChanged();
    } catch (error) {
      setState({ status: 'error', error });
    }
  }

  const error = state.status === 'error' ? state.error : null;
  const general = error instanceof ApiError && !error.body.fieldErrors ? error.message : null;
  return (
    <form
      onSubmit={onSubmit}
      className="flex max-w-sm flex-col gap-3"
      data-testid="change-password-form"
      data-status={state.status}
    >
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        error={firstFieldError(error, 'currentPassword')}
      />
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        maxLength={200}
        error={firstFieldError(error, 'newPassword')}
      />
      <TextField
        label="Confirm new password"
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        required
        error={state.status === 'error' && state.mismatch ? 'The two passwords differ' : undefined}
      />
      {general ? <p className="text-sm text-danger">{general}</p> : null}
      {state.status === 'saved' ? (
        <p role="status" className="text-sm text-green-400" data-testid="password-changed">
          Password changed. Your other sessions were signed out.
        </p>
      ) : null}
      <div>
        <Button type="submit" disabled={state.status === 'saving'}>
          {state.status === 'saving' ? 'Changing…' : 'Change password'}
        </Button>
      </div>
    </form>
  );
}
