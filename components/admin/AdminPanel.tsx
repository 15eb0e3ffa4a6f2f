'use client';
// The operator's page: every user, and every active workspace with CPU and memory (refreshed
// every few seconds) and Stop / Remove. Data comes from /api/v1/admin/*.
import { useCallback, useEffect, useState } from 'react';
import type { AdminUserDto, AdminWorkspaceDto } from '@/server/contracts';
import { api } from '../api-client';
import { AppHeader } from '../AppHeader';
import { Button } from '../ui/Button';
import { AdminUsersTable } from './AdminUsersTable';
import { AdminWorkspacesTable } from './AdminWorkspacesTable';
import { ConfirmWorkspaceAction, type WorkspaceAction } from './ConfirmWorkspaceAction';

const REFRESH_MS = 5000;

type Loaded =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; users: AdminUserDto[]; workspaces: AdminWorkspaceDto[] };

export function AdminPanel() {
  const [data, setData] = useState<Loaded>({ status: 'loading' });
  const [action, setAction] = useState<WorkspaceAction | null>(null);

  const load = useCallback(async () => {
    try {
      const [users, workspaces] = await Promise.all([
        api<AdminUserDto[]>('/admin/users'),
        api<AdminWorkspaceDto[]>('/admin/workspaces'),
      ]);
      setData({ status: 'ready', users, workspaces });
    } catch (caught) {
      setData({ status: 'error', message: caught instanceof Error ? caught.message : 'Could not load' });
    }
  }, []);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <div className="flex min-h-full flex-col">
      <AppHeader />
      <main className="mx-auto w-full max-w-6xl flex-1 px-4 py-8" data-testid="admin-page" data-status={data.status}>
        <h1 className="text-xl font-semibold">Admin</h1>
        {data.status === 'loading' ? <p className="mt-4 text-sm text-muted">Loading…</p> : null}
        {data.status === 'error' ? (
          <div className="mt-4 rounded-md border border-danger/40 bg-danger/10 p-4 text-sm">
            <p className="text-danger">{data.message}</p>
            <Button variant="secondary" className="mt-3" onClick={() => void load()}>
              Retry
            </Button>
          </div>
        ) : null}
        {data.status === 'ready' ? (
          <>
            <section className="mt-6">
              <h2 className="mb-2 text-sm font-semibold uppercase tracking-wide text-muted">
                Running workspaces ({data.workspaces.length})
              </h2>
              <AdminWorkspacesTable workspaces={data.workspaces} onAction={setAction} />
            </section>
            <section className="mt-8">
              <h2 className="mb-2 text-sm font-semibold uppercase tracking-wide text-muted">
                Users ({data.users.length})
              </h2>
              <AdminUsersTable users={data.users} />
            </section>
          </>
        ) : null}
      </main>
      <ConfirmWorkspaceAction action={action} onClose={() => setAction(null)} onDone={() => void load()} />
    </div>
  );
}
