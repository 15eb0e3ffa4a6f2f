'use client';
import type { AdminWorkspaceDto } from '@/server/contracts';
import { relativeTime } from '../dashboard/relative-time';
import { Button } from '../ui/Button';
import type { WorkspaceAction } from './ConfirmWorkspaceAction';
import { formatBytes, formatCpu } from './format';

const STATE_DOT: Record<AdminWorkspaceDto['state'], string> = {
  running: 'bg-green-500',
  starting: 'bg-amber-400',
  stopping: 'bg-amber-400',
  stopped: 'bg-gray-500',
  error: 'bg-danger',
};

export function AdminWorkspacesTable({
  workspaces,
  onAction,
}: {
  workspaces: AdminWorkspaceDto[];
  onAction: (action: WorkspaceAction) => void;
}) {
  if (workspaces.length === 0) {
    return (
      <p
        className="rounded-lg border border-dashed border-edge p-6 text-center text-sm text-muted"
        data-testid="admin-no-workspaces"
      >
        No workspace is running.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-edge bg-panel">
      <table className="w-full text-left text-sm" data-testid="admin-workspaces">
        <thead className="border-b border-edge text-xs text-muted">
          <tr>
            <th className="px-4 py-2 font-medium">Project</th>
            <th className="px-4 py-2 font-medium">Owner</th>
            <th className="px-4 py-2 font-medium">State</th>
            <th className="px-4 py-2 font-medium">Started</th>
            <th className="px-4 py-2 text-right font-medium">CPU</th>
            <th className="px-4 py-2 text-right font-medium">Memory</th>
            <th className="px-4 py-2 text-right font-medium">Disk</th>
            <th className="px-4 py-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-edge">
          {workspaces.map((workspace) => (
            <tr
              key={workspace.projectId}
              data-testid="admin-workspace-row"
              data-project-id={workspace.projectId}
              data-state={workspace.state}
            >
              <td className="px-4 py-2 font-medium">{workspace.projectName}</td>
              <td className="px-4 py-2 text-gray-300">{workspace.ownerEmail}</td>
              <td className="px-4 py-2">
                <span
                  className={`inline-flex items-center gap-1.5 ${workspace.state === 'error' ? 'text-danger' : 'text-gray-300'}`}
                >
                  <span aria-hidden className={`h-2 w-2 rounded-full ${STATE_DOT[workspace.state]}`} />
                  {workspace.state}
                </span>
              </td>
              <td className="px-4 py-2 text-gray-300" title={workspace.startedAt ?? undefined}>
                {workspace.startedAt ? relativeTime(workspace.startedAt) : '—'}
              </td>
              <td className="px-4 py-2 text-right tabular-nums" data-testid="admin-workspace-cpu">
                {workspace.stats ? formatCpu(workspace.stats.cpuPercent) : '—'}
              </td>
              <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums" data-testid="admin-workspace-memory">
                {workspace.stats
                  ? `${formatBytes(workspace.stats.memoryBytes)} / ${formatBytes(workspace.stats.memoryLimitBytes)}`
                  : '—'}
              </td>
              <td
                className={`whitespace-nowrap px-4 py-2 text-right tabular-nums ${workspace.disk && workspace.disk.usedBytes >= workspace.disk.limitBytes * 0.9 ? 'text-danger' : ''}`}
                data-testid="admin-workspace-disk"
                title={
                  workspace.disk
                    ? workspace.disk.enforcement === 'filesystem'
                      ? 'Own fixed-size filesystem'
                      : 'Measured; stopped past the limit'
                    : undefined
                }
              >
                {workspace.disk
                  ? `${formatBytes(workspace.disk.usedBytes)} / ${formatBytes(workspace.disk.limitBytes)}`
                  : '—'}
              </td>
              <td className="whitespace-nowrap px-4 py-2 text-right">
                <Button variant="ghost" onClick={() => onAction({ kind: 'stop', workspace })} data-testid="admin-stop">
                  Stop
                </Button>
                <Button
                  variant="ghost-danger"
                  onClick={() => onAction({ kind: 'remove', workspace })}
                  data-testid="admin-remove"
                >
                  Remove
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
