'use client';
// Disk use of the workspace against WORKSPACE_DISK_GB in the status bar, and why it was
// stopped when it went past it (disk_full).
import type { WorkspaceStatusDto } from '@/server/contracts';

/** Bytes in the units people read on disks (binary, as df -h). */
export function formatDiskBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

const NEARLY_FULL = 0.9;

export function DiskUsageIndicator({ workspace }: { workspace: WorkspaceStatusDto | null }) {
  if (workspace?.error?.code === 'disk_full') {
    return (
      <span data-testid="disk-usage" data-status="full" className="truncate text-danger" title={workspace.error.message}>
        {workspace.error.message}
      </span>
    );
  }
  const disk = workspace?.disk;
  if (!disk) return null;
  const share = disk.limitBytes > 0 ? disk.usedBytes / disk.limitBytes : 0;
  const how = disk.enforcement === 'filesystem' ? 'a fixed-size filesystem: writes past it fail with "No space left on device"' : 'measured: the workspace is stopped past it';
  return (
    <span
      data-testid="disk-usage"
      data-status={share >= NEARLY_FULL ? 'nearly-full' : 'ok'}
      className={`whitespace-nowrap tabular-nums ${share >= NEARLY_FULL ? 'text-danger' : ''}`}
      title={`Disk used by this workspace (files and everything written outside /workspace). The limit is ${how}.`}
    >
      Disk {formatDiskBytes(disk.usedBytes)} / {formatDiskBytes(disk.limitBytes)}
    </span>
  );
}
