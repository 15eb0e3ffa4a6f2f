// berth status [dir]: what changed here and on the Berth since the last sync, and when that was.
import type { SyncManifestEntry } from '../../contracts/sync';
import type { PeerStateAnswer } from '../../sync/core/sync-peer';
import type { CliIo } from '../cli-io';
import { openExistingFolder } from '../folder-session';
import { lastSyncedAt, readBaseFile } from '../folder-state';
import { skippedNotes } from '../sync-report';

export interface Change {
  path: string;
  kind: 'added' | 'modified' | 'deleted';
}

/** Per path, how `now` differs from `base` (content or mode), sorted by path. */
export function changesSince(base: readonly SyncManifestEntry[], now: readonly SyncManifestEntry[]): Change[] {
  const before = new Map(base.map((entry) => [entry.path, entry]));
  const changes: Change[] = [];
  for (const entry of now) {
    const old = before.get(entry.path);
    before.delete(entry.path);
    if (!old) changes.push({ path: entry.path, kind: 'added' });
    else if (old.sha256 !== entry.sha256 || old.mode !== entry.mode)
      changes.push({ path: entry.path, kind: 'modified' });
  }
  for (const path of before.keys()) changes.push({ path, kind: 'deleted' });
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const LETTER: Record<Change['kind'], string> = { added: 'A', modified: 'M', deleted: 'D' };
const LIST_MAX = 50;

function section(title: string, changes: readonly Change[], both: ReadonlySet<string>): string[] {
  if (changes.length === 0) return [`${title}: none`];
  const lines = [`${title} (${changes.length}):`];
  for (const change of changes.slice(0, LIST_MAX))
    lines.push(`  ${LETTER[change.kind]} ${change.path}${both.has(change.path) ? '   ⚠ changed on both sides' : ''}`);
  if (changes.length > LIST_MAX) lines.push(`  … and ${changes.length - LIST_MAX} more`);
  return lines;
}

export function formatStatus(input: {
  project: string;
  url: string;
  syncedAt: string | null;
  local: Change[];
  remote: Change[];
}): string[] {
  const localPaths = new Set(input.local.map((change) => change.path));
  const both = new Set(input.remote.map((change) => change.path).filter((path) => localPaths.has(path)));
  return [
    `Project ${input.project} on ${input.url}`,
    `Last synced: ${input.syncedAt ?? 'never'}`,
    ...section('Changes here', input.local, both),
    ...section('Changes on the Berth', input.remote, both),
  ];
}

function isState(answer: PeerStateAnswer): answer is Exclude<PeerStateAnswer, { unchanged: true }> {
  return !('unchanged' in answer);
}

export async function status(input: { dir?: string }, io: CliIo): Promise<number> {
  const session = await openExistingFolder(input.dir, io);
  const baseFile = await readBaseFile(session.layout);
  const base = baseFile?.base.files ?? [];
  const [local, remote] = await Promise.all([session.local.scan(), session.remote.state()]);
  if (!isState(remote)) throw new Error('The Berth answered "unchanged" to a plain state request');
  const lines = formatStatus({
    project: session.config.projectName,
    url: session.config.url,
    syncedAt: await lastSyncedAt(session.layout, baseFile),
    local: changesSince(base, local.files),
    remote: changesSince(base, remote.files),
  });
  for (const line of lines) io.out(line);
  for (const line of skippedNotes(local.skipped)) io.err(line);
  return 0;
}
