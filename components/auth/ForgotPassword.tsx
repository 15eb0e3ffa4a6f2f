'use client';
// "Forgot password?" under the sign-in form: mails a reset link when the server sends mail,
// otherwise tells the user who can give them one.
import { useEffect, useState, type FormEvent } from 'react';
import type { AuthOptionsDto } from '@/server/contracts';
import { Button } from '../ui/Button';
import { TextField } from '../ui/TextField';

type State =
  | { status: 'closed' }
  | { status: 'open' }
  | { status: 'sending' }
  | { status: 'sent'; message: string }
  | { status: 'error'; message: string };

export function ForgotPassword() {
  const [mail, setMail] = useState<boolean | null>(null);
  const [state, setState] = useState<State>({ status: 'closed' });
  useEffect(() => {
    fetch('/api/v1/auth/options')
      .then((response) => (response.ok ? (response.json() as Promise<AuthOptionsDto>) : null))
      .then(
        (options) => setMail(options?.mail ?? false),
        () => setMail(false),
      );
  }, []);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email') ?? '');
    setState({ status: 'sending' });
    const response = await fetch('/api/v1/auth/forgot-password', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email }),
    }).catch(() => null);
    const body = (await response?.json().catch(() => null)) as { message?: string } | null;
    if (response?.status === 202)
      setState({
        status: 'sent',
        message: body?.message ?? 'If an account has this email, a link to reset its password is on its way.',
      });
    else if (response?.status === 501) setMail(false);
    else setState({ status: 'error', message: body?.message ?? 'Could not send the link. Try again.' });
  }

  if (state.status === 'closed') {
    return (
      <button
        type="button"
        className="self-end text-xs text-accent hover:underline"
        onClick={() => setState({ status: 'open' })}
        data-testid="forgot-password"
      >
        Forgot password?
      </button>
    );
  }
  return (
    <div
      className="rounded-md border border-edge bg-surface p-3 text-sm"
      data-testid="forgot-password-panel"
      data-mail={String(mail)}
    >
      {mail === null ? <p className="text-muted">…</p> : null}
      {mail === false ? <p>This server sends no mail. Ask an administrator for a password-reset link.</p> : null}
      {mail === true && state.status === 'sent' ? (
        <p role="status" className="text-green-400">
          {state.message}
        </p>
      ) : null}
      {mail === true && state.status !== 'sent' ? (
        <form onSubmit={onSubmit} className="flex flex-col gap-2" data-testid="forgot-password-form">
          <TextField label="Email for the reset link" name="email" type="email" autoComplete="email" required />
          {state.status === 'error' ? <p className="text-xs text-danger">{state.message}</p> : null}
          <Button type="submit" variant="secondary" disabled={state.status === 'sending'}>
            {state.status === 'sending' ? 'Sending…' : 'Send reset link'}
          </Button>
        </form>
      ) : null}
    </div>
  );
}
