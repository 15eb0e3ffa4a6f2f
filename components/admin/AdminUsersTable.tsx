'use client';
import type { AdminUserDto } from '@/server/contracts';
import { relativeTime } from '../dashboard/relative-time';
import { ResetLinkAction } from './ResetLinkAction';

export function AdminUsersTable({ users }: { users: AdminUserDto[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-edge bg-panel">
      <table className="w-full text-left text-sm" data-testid="admin-users">
        <thead className="border-b border-edge text-xs text-muted">
          <tr>
            <th className="px-4 py-2 font-medium">Email</th>
            <th className="px-4 py-2 font-medium">Name</th>
            <th className="px-4 py-2 font-medium">Created</th>
            <th className="px-4 py-2 text-right font-medium">Projects</th>
            <th className="px-4 py-2 text-right font-medium">Running</th>
            <th className="px-4 py-2" aria-label="Actions" />
          </tr>
        </thead>
        <tbody className="divide-y divide-edge">
          {users.map((user) => (
            <tr key={user.id} data-testid="admin-user-row" data-email={user.email}>
              <td className="px-4 py-2">
                {user.email}
                {user.isAdmin ? (
                  <span className="ml-2 rounded bg-accent/20 px-1.5 py-0.5 text-xs text-accent">admin</span>
                ) : null}
              </td>
              <td className="px-4 py-2 text-gray-300">{user.name}</td>
              <td className="px-4 py-2 text-gray-300" title={user.createdAt}>
                {relativeTime(user.createdAt)}
              </td>
              <td className="px-4 py-2 text-right tabular-nums">{user.projectCount}</td>
              <td className="px-4 py-2 text-right tabular-nums" data-testid="admin-user-running">
                {user.runningWorkspaces}
              </td>
              <td className="px-4 py-2 text-right">
                <ResetLinkAction userId={user.id} email={user.email} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
