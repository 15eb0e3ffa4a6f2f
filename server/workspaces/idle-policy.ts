// When is a workspace idle? No open client (browser tab), and no terminal input/output or
// preview traffic for WORKSPACE_IDLE_MINUTES. Pure functions, so the rule is easy to test.
import type { IdleInfo } from '../contracts';

export interface ActivitySnapshot {
  clients: Map<string, number>;
  lastActivityAt: number;
}

export function isIdle(activity: ActivitySnapshot, idleMinutes: number, now: number): boolean {
  return activity.clients.size === 0 && now - activity.lastActivityAt >= idleMinutes * 60_000;
}

export function idleInfo(activity: ActivitySnapshot, idleMinutes: number, now: number): IdleInfo {
  const tabs = activity.clients.size;
  const keptUpBy = tabs > 0 ? [`${tabs} open tab${tabs === 1 ? '' : 's'}`] : [];
  const quietFor = now - activity.lastActivityAt;
  if (tabs === 0 && quietFor < 60_000) keptUpBy.push('recent terminal or preview activity');
  return {
    keptUpBy,
    stopsAt: tabs > 0 ? null : new Date(activity.lastActivityAt + idleMinutes * 60_000).toISOString(),
    idleMinutes,
  };
}
