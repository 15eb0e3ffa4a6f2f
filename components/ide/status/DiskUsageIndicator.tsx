'use client';
// Disk use of the workspace against WORKSPACE_DISK_GB in the status bar, and why it was
// stopped when it went past it (disk_full).
import { formatBytes, type WorkspaceStatusDto } from '@/server/contracts';

const NEARLY_FULL = 0.9;

export function DiskUsageIndicator({ workspace }: { workspace: WorkspaceStatusDto | null }) {
  if (workspace?.error?.code === 'disk_full') {
    return (
      <span
        data-testid="disk-usage"
        data-status="full"
        className="truncate text-danger"
        title={workspace.error.message}
      >
        {workspace.error.message}
      </span>
    );
  }
  const disk = workspace?.disk;
  if (!disk) return null;
  const share = disk.limitBytes > 0 ? disk.usedBytes / disk.limitBytes : 0;
  const how =
    disk.enforcement === 'filesystem'
      ? 'a fixed-size filesystem: writes past it fail with "No space left on device"'
      : 'measured: the workspace is stopped past it';
  return (
    <span
      data-testid="disk-usage"
      data-status={share >= NEARLY_FULL ? 'nearly-full' : 'ok'}
      className={`whitespace-nowrap tabular-nums ${share >= NEARLY_FULL ? 'text-danger' : ''}`}
      title={`Disk used by this workspace (files and everything written outside /workspace). The limit is ${how}.`}
    >
      Disk {formatBytes(disk.usedBytes)} / {formatBytes(disk.limitBytes)}
    </span>
  );
}
