'use client';
import { getProviders, signIn } from 'next-auth/react';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { Button } from '../ui/Button';
import { TextField } from '../ui/TextField';
import { ForgotPassword } from './ForgotPassword';

// Server texts are shown only when they are ones Berth sends (the URL's ?error= is anyone's to write).
const messageFor = (error: string) =>
  error === 'CredentialsSignin'
    ? 'Wrong email or password.'
    : error === 'invalid_link'
      ? 'That link is invalid or has expired. Ask for a new one.'
      : error.startsWith('Too many') || error.startsWith('Confirm your email')
        ? error
        : 'Sign-in failed. Try again.';

/** Only same-site paths are followed after sign-in, never another host. */
const safeCallback = (value: string | undefined) =>
  value && value.startsWith('/') && !value.startsWith('//') ? value : '/';

export function SignInForm({ callbackUrl, initialError }: { callbackUrl?: string; initialError?: string }) {
  const [githubEnabled, setGithubEnabled] = useState(false);
  useEffect(() => {
    getProviders().then(
      (providers) => setGithubEnabled(Boolean(providers?.github)),
      () => undefined,
    );
  }, []);
  const [error, setError] = useState(initialError ? messageFor(initialError) : '');
  const [pending, setPending] = useState(false);
  const target = safeCallback(callbackUrl);
  // After the link of a verification mail.
  const verified = useSearchParams().get('verified') === '1';

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError('');
    const result = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    if (result?.ok && !result.error) {
      window.location.href = target;
      return;
    }
    setPending(false);
    setError(messageFor(result?.error ?? 'failed'));
  }

  return (
    <div className="flex flex-col gap-4">
      {verified && !error ? (
        <p
          role="status"
          className="rounded-md border border-green-600/50 bg-green-600/10 px-3 py-2 text-sm text-green-400"
          data-testid="email-verified"
        >
          Email confirmed — sign in.
        </p>
      ) : null}
      <form onSubmit={onSubmit} className="flex flex-col gap-4" data-testid="signin-form">
        <TextField label="Email" name="email" type="email" autoComplete="email" required autoFocus />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
        {error ? (
          <p role="alert" className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger">
            {error}
          </p>
        ) : null}
        <Button type="submit" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </Button>
        {githubEnabled ? (
          <Button type="button" variant="secondary" onClick={() => void signIn('github', { callbackUrl: target })}>
            Continue with GitHub
          </Button>
        ) : null}
      </form>
      <ForgotPassword />
      <p className="text-center text-sm text-muted">
        New here?{' '}
        <Link href="/signup" className="text-accent hover:underline">
          Create an account
        </Link>
      </p>
    </div>
  );
}
