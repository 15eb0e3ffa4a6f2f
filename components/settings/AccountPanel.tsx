'use client';
// /settings/account: password, signed-in browsers, and deleting the account.
import { useEffect, useState, type ReactNode } from 'react';
import type { UserDto } from '@/server/contracts';
import { api } from '../api-client';
import { AppHeader } from '../AppHeader';
import { ChangePasswordForm } from './ChangePasswordForm';
import { DeleteAccountSection } from './DeleteAccountSection';
import { SessionsList } from './SessionsList';

function Section({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  return (
    <section className="mt-8">
      <h2 className="font-semibold">{title}</h2>
      <p className="mb-3 mt-0.5 text-sm text-muted">{subtitle}</p>
      {children}
    </section>
  );
}

export function AccountPanel() {
  const [user, setUser] = useState<UserDto | null>(null);
  const [sessionsKey, setSessionsKey] = useState(0);
  useEffect(() => {
    api<UserDto>('/me').then(setUser, () => undefined);
  }, []);

  return (
    <div className="flex min-h-full flex-col">
      <AppHeader />
      <main className="mx-auto w-full max-w-3xl px-4 py-8" data-testid="account-page">
        <h1 className="text-xl font-semibold">Account</h1>
        <p className="mt-1 text-sm text-muted" data-testid="account-email">
          {user ? `${user.name} · ${user.email}` : ' '}
        </p>
        <Section title="Password" subtitle="Changing it signs out your other browsers.">
          <ChangePasswordForm onChanged={() => setSessionsKey((key) => key + 1)} />
        </Section>
        <Section title="Sessions" subtitle="Browsers signed in to your account.">
          <SessionsList reloadKey={sessionsKey} />
        </Section>
        <DeleteAccountSection email={user?.email ?? null} />
      </main>
    </div>
  );
}
