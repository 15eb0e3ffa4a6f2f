// Words for sync: the one-line result ("↑ 3 files · ↓ 1 file · ⚠ 0 conflicts"), how a conflict
// ended, and the sync light (🟢 synced · 🟡 N changes waiting · 🔴 N conflicts · ⚫ error).
import type { ConflictOutcome, SyncConflictDto, SyncResultDto, SyncStatus, SyncStatusDto } from '@/server/contracts';
import { relativeTime } from '../dashboard/relative-time';

export const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** `↑ 3 files · ↓ 1 file · ↑ 2 conversations · ⚠ 0 conflicts` (conversations only when some moved). */
export function resultSummary(result: SyncResultDto): string {
  const parts = [`↑ ${plural(result.filesUploaded, 'file')}`, `↓ ${plural(result.filesDownloaded, 'file')}`];
  if (result.conversationsUploaded > 0) parts.push(`↑ ${plural(result.conversationsUploaded, 'conversation')}`);
  if (result.conversationsDownloaded > 0) parts.push(`↓ ${plural(result.conversationsDownloaded, 'conversation')}`);
  parts.push(`⚠ ${plural(result.conflicts.length, 'conflict')}`);
  return parts.join(' · ');
}

/** How one conflict ended, in words. */
export function outcomeText(conflict: Pick<SyncConflictDto, 'outcome' | 'keptAs'>): string {
  const outcome: ConflictOutcome = conflict.outcome;
  switch (outcome) {
    case 'local':
      return 'kept local';
    case 'remote':
      return 'took remote';
    case 'merged':
      return 'merged';
    case 'markers':
      return 'needs review (conflict markers written)';
    case 'kept-both':
      return `kept both: ${conflict.keptAs ?? 'the remote copy beside it'}`;
    case 'unresolved':
      return 'waiting for your choice';
    default: {
      const exhaustive: never = outcome;
      return exhaustive;
    }
  }
}

/** Conflicts a person still has to answer (`ask`). */
export const unresolved = (conflicts: SyncConflictDto[]) => conflicts.filter((c) => c.outcome === 'unresolved');

/** "3 minutes ago" → "3 min ago", "2 hours ago" → "2 h ago". */
const shortRelative = (text: string) => text.replace(/ minutes? /, ' min ').replace(/ hours? /, ' h ');

export interface SyncLightView {
  status: SyncStatus;
  text: string;
  /** The first part of `text` alone, for the crowded status bar. */
  short: string;
  /** The tooltip: the reason of an error, and when the last sync was. */
  tip: string;
}

export function syncLight(status: SyncStatusDto, now = Date.now()): SyncLightView {
  const last = status.lastSyncedAt ? `last synced ${relativeTime(status.lastSyncedAt, now)}` : 'never synced';
  const lastTip = status.lastSyncedAt
    ? `Last synced ${new Date(status.lastSyncedAt).toLocaleString()}`
    : 'Never synced';
  const kind: SyncStatus = status.status;
  switch (kind) {
    case 'synced':
      return {
        status: kind,
        text: status.lastSyncedAt ? `Synced ${relativeTime(status.lastSyncedAt, now)}` : 'Synced',
        short: status.lastSyncedAt ? `Synced ${shortRelative(relativeTime(status.lastSyncedAt, now))}` : 'Synced',
        tip: lastTip,
      };
    case 'pending':
      return {
        status: kind,
        text: `${plural(status.pendingChanges, 'change')} waiting · ${last}`,
        short: `${plural(status.pendingChanges, 'change')} waiting`,
        tip: `${plural(status.pendingChanges, 'file or conversation', 'files or conversations')} changed since the last sync\n${lastTip}`,
      };
    case 'conflict': {
      const count = status.conflicts.length || status.pendingChanges;
      return {
        status: kind,
        text: `${plural(count, 'conflict')} · ${last}`,
        short: plural(count, 'conflict'),
        tip: `Changed on both sides: ${status.conflicts.map((c) => c.title ?? c.path).join(', ') || 'open Sync to see'}\n${lastTip}`,
      };
    }
    case 'error':
      return {
        status: kind,
        text: `Sync error · ${last}`,
        short: 'Sync error',
        tip: `${status.error ?? 'Unknown error'}\n${lastTip}`,
      };
    default: {
      const exhaustive: never = kind;
      return exhaustive;
    }
  }
}
