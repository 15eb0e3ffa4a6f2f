// One-shot container stats mapped to WorkspaceStats. CPU is the delta against the engine's
// previous sample; memory excludes the page cache (what `docker stats` shows).
import type { ContainerStats } from 'dockerode';
import type { WorkspaceStats } from '../runtime-driver';

export function statsFrom(raw: ContainerStats): WorkspaceStats {
  const cpuDelta = raw.cpu_stats.cpu_usage.total_usage - (raw.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (raw.cpu_stats.system_cpu_usage ?? 0) - (raw.precpu_stats?.system_cpu_usage ?? 0);
  const cpus = raw.cpu_stats.online_cpus || raw.cpu_stats.cpu_usage.percpu_usage?.length || 1;
  const cpuPercent = cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
  const memory = raw.memory_stats;
  const stats = memory.stats as Record<string, number | undefined> | undefined;
  // cgroup v1 reports total_inactive_file, v2 inactive_file; older engines only cache.
  const cache = stats?.total_inactive_file ?? stats?.inactive_file ?? stats?.cache ?? 0;
  return {
    cpuPercent: Math.round(cpuPercent * 100) / 100,
    memoryBytes: Math.max(0, (memory.usage ?? 0) - cache),
    memoryLimitBytes: memory.limit ?? 0,
    pids: (raw as { pids_stats?: { current?: number } }).pids_stats?.current ?? 0,
  };
}
