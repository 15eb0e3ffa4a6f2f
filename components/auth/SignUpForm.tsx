'use client';
import { signIn } from 'next-auth/react';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import type { UserDto } from '@/server/contracts';
import { api, ApiError, firstFieldError } from '../api-client';
import { Button } from '../ui/Button';
import { TextField } from '../ui/TextField';

export function SignUpForm() {
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '');
    const password = String(form.get('password') ?? '');
    setPending(true);
    setError(null);
    try {
      await api<UserDto>('/auth/signup', {
        method: 'POST',
        body: { name: String(form.get('name') ?? ''), email, password },
      });
      const result = await signIn('credentials', { email, password, redirect: false });
      if (result?.error) throw new Error('Your account was made, but signing in failed. Try signing in.');
      window.location.href = '/';
    } catch (caught) {
      setError(caught);
      setPending(false);
    }
  }

  const general =
    error instanceof ApiError && !error.body.fieldErrors
      ? error.message
      : error instanceof Error && !(error instanceof ApiError)
        ? error.message
        : '';
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" data-testid="signup-form">
      <TextField
        label="Name"
        name="name"
        autoComplete="name"
        required
        autoFocus
        error={firstFieldError(error, 'name')}
      />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        error={firstFieldError(error, 'email')}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        error={firstFieldError(error, 'password')}
        placeholder="At least 8 characters"
      />
      {general ? (
        <p role="alert" className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger">
          {general}
        </p>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? 'Creating account…' : 'Create account'}
      </Button>
      <p className="text-center text-sm text-muted">
        Have an account?{' '}
        <Link href="/signin" className="text-accent hover:underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}
