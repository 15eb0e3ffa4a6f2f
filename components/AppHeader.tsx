'use client';
import { signOut } from 'next-auth/react';
import Link from 'next/link';
import { useEffect, useState, type ReactNode } from 'react';
import type { UserDto } from '@/server/contracts';
import { api } from './api-client';
import { Button } from './ui/Button';

export function AppHeader({ children }: { children?: ReactNode }) {
  const [user, setUser] = useState<UserDto | null>(null);
  useEffect(() => {
    api<UserDto>('/me').then(setUser, () => undefined);
  }, []);
  return (
    <header className="flex h-12 shrink-0 items-center gap-3 border-b border-edge bg-panel px-4">
      <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
        <img src="/favicon.svg" alt="" className="h-6 w-6" />
        Berth
      </Link>
      <div className="flex min-w-0 flex-1 items-center gap-2">{children}</div>
      {user?.isAdmin ? (
        <Link href="/admin" className="text-sm text-muted hover:text-gray-100" data-testid="admin-link">
          Admin
        </Link>
      ) : null}
      <Link href="/settings/ai" className="text-sm text-muted hover:text-gray-100" data-testid="ai-settings-link">
        AI models
      </Link>
      <Link href="/settings/git" className="text-sm text-muted hover:text-gray-100" data-testid="git-settings-link">
        Git
      </Link>
      <Link href="/settings/remotes" className="text-sm text-muted hover:text-gray-100" data-testid="remotes-link">
        Remotes
      </Link>
      <Link href="/settings/tokens" className="text-sm text-muted hover:text-gray-100">
        Access tokens
      </Link>
      <Link href="/settings/account" className="text-sm text-muted hover:text-gray-100" data-testid="account-link">
        Account
      </Link>
      <span className="hidden text-sm text-muted sm:inline" data-testid="current-user">
        {user?.email ?? ''}
      </span>
      <Button variant="ghost" onClick={() => void signOut({ callbackUrl: '/signin' })} data-testid="sign-out">
        Sign out
      </Button>
    </header>
  );
}
