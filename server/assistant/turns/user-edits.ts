// The user's own edits since the conversation's last turn, as a note the model reads before the
// request (DESIGN.md "Assistant", issue 11 §6), so it does not overwrite them. "Since" is the
// previous turn's snapshot (taken at its start); "now" is the snapshot this turn is taking. A file
// the previous turn changed itself counts only when it is no longer what the turn left there (its
// recorded afterSha256), diffed from that content when a snapshot kept it. Changed text files get a
// unified diff until the note's cap, then are only listed.
import type { RecordedTurnFileChange } from '../../contracts';
import { isSymlinkMode, type ManifestEntry } from '../../snapshots';
import { unifiedDiff } from './unified-diff';

/** The note's size at most: diffs past it are only named. */
export const USER_EDITS_MAX_CHARS = 12_000;
/** A file bigger than this (either side) is named, not diffed. */
export const USER_EDIT_FILE_MAX_BYTES = 256 * 1024;

/** Reads snapshots (SnapshotStore): a snapshot of the project, its manifest, blobs by hash. */
export interface SnapshotReader {
  get(projectId: string, snapshotId: string): Promise<unknown>;
  manifest(snapshotId: string): Promise<ManifestEntry[]>;
  readBlobs(hashes: string[]): Promise<Map<string, Buffer>>;
}

export interface UserEditsInput {
  projectId: string;
  /** The previous turn of the conversation: its snapshot and the files it changed (with what it left there). */
  previous: {
    snapshotId: string;
    changedFiles: readonly RecordedTurnFileChange[] | Promise<readonly RecordedTurnFileChange[]>;
    /** Its snapshot's files when already read with the turn (the snapshot exists then). */
    files?: readonly ManifestEntry[];
  };
  /**
   * The project now: the files this turn's snapshot scans, and that snapshot stored (awaited
   * only when something changed: the changed files' content is read from it).
   */
  now: { files: Promise<readonly ManifestEntry[]>; stored: Promise<unknown> };
}

type Edit = {
  path: string;
  status: 'added' | 'deleted' | 'modified';
  before?: ManifestEntry;
  after?: ManifestEntry;
  /** A file the previous turn wrote, changed since: `before` is what the turn left. */
  sinceTurn?: boolean;
};

/** The note ('' when the user changed nothing, or the previous snapshot is gone). */
export async function describeUserEdits(snapshots: SnapshotReader, input: UserEditsInput): Promise<string> {
  const { projectId, previous } = input;
  // The previous turn's files are read while this turn's snapshot scans the project.
  const [exists, then, changedFiles] = await Promise.all([
    previous.files ?? snapshots.get(projectId, previous.snapshotId),
    previous.files ?? snapshots.manifest(previous.snapshotId),
    previous.changedFiles,
  ]);
  if (!exists) return '';
  const now = await input.now.files;
  const byTurn = new Set(changedFiles.map((change) => change.path));
  const edits = [
    ...compareManifests(then, now).filter((edit) => !byTurn.has(edit.path)),
    ...changedSinceTurn(changedFiles, now),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (!edits.length) return '';
  const wanted = edits
    .flatMap((edit) => [edit.before, edit.after])
    .filter((entry): entry is ManifestEntry => !!entry && isDiffable(entry))
    .map((entry) => entry.sha256);
  await input.now.stored;
  const blobs = await snapshots.readBlobs([...new Set(wanted)]);
  return formatUserEdits(edits, (entry) => (entry && isDiffable(entry) ? blobs.get(entry.sha256) : undefined));
}

/** The note from the changed files, given their contents where they can be diffed. */
export function formatUserEdits(
  edits: readonly Edit[],
  contentOf: (entry: ManifestEntry | undefined) => Buffer | undefined,
  maxChars = USER_EDITS_MAX_CHARS,
): string {
  const header =
    'Since your last turn the user (or someone other than you) changed these files. Keep their changes: ' +
    'read a file again before editing it, and do not undo what they did unless asked.';
  const sections: string[] = [];
  const listed: string[] = [];
  let used = header.length;
  for (const edit of edits) {
    const section = describeEdit(edit, contentOf);
    if (used + section.length + 1 <= maxChars) {
      sections.push(section);
      used += section.length + 1;
    } else listed.push(`${edit.path} (${edit.status})`);
  }
  if (listed.length) sections.push(`Also changed (no diff, too long to show): ${listed.join(', ')}`);
  return [header, ...sections].join('\n');
}

function describeEdit(edit: Edit, contentOf: (entry: ManifestEntry | undefined) => Buffer | undefined): string {
  if (edit.status === 'deleted') return `--- ${edit.path} (deleted${edit.sinceTurn ? ' after you changed it' : ''})`;
  const before = edit.status === 'added' ? '' : textOf(contentOf(edit.before));
  if (edit.sinceTurn && before === undefined)
    return `--- ${edit.path} (changed after you last wrote it; read it again before editing it)`;
  const after = textOf(contentOf(edit.after));
  if (before === undefined || after === undefined)
    return `--- ${edit.path} (${edit.status}; not a text file shown here)`;
  const diff = unifiedDiff(before, after);
  if (!diff) return `--- ${edit.path} (${edit.status}: permissions or type only)`;
  const from = edit.status === 'added' ? '--- /dev/null' : `--- a/${edit.path}`;
  return [edit.sinceTurn ? `${from} (as you last wrote it)` : from, `+++ b/${edit.path}`, diff].join('\n');
}

function textOf(content: Buffer | undefined): string | undefined {
  if (!content || content.includes(0)) return undefined;
  return content.toString('utf8');
}

const isDiffable = (entry: ManifestEntry) => !isSymlinkMode(entry.mode) && entry.size <= USER_EDIT_FILE_MAX_BYTES;

/** Files the turn wrote that are no longer what it left (files whose fingerprint is unknown are skipped). */
function changedSinceTurn(changes: readonly RecordedTurnFileChange[], now: readonly ManifestEntry[]): Edit[] {
  const current = new Map(now.map((entry) => [entry.path, entry]));
  const edits: Edit[] = [];
  for (const { path, afterSha256 } of changes) {
    if (afterSha256 === undefined) continue;
    const after = current.get(path);
    if ((after?.sha256 ?? null) === afterSha256) continue;
    // What the turn left, as a manifest entry (its blob is there when a snapshot after the turn kept it).
    const before =
      afterSha256 === null ? undefined : { path, mode: after?.mode ?? 0o100644, size: 0, sha256: afterSha256 };
    const status = !before ? 'added' : after ? 'modified' : 'deleted';
    edits.push({ path, status, before, after, sinceTurn: true });
  }
  return edits;
}

/** Paths added, deleted or modified (content or mode) from `then` to `now`, sorted. */
export function compareManifests(then: readonly ManifestEntry[], now: readonly ManifestEntry[]): Edit[] {
  const before = new Map(then.map((entry) => [entry.path, entry]));
  const edits: Edit[] = [];
  for (const entry of now) {
    const old = before.get(entry.path);
    if (!old) edits.push({ path: entry.path, status: 'added', after: entry });
    else if (old.sha256 !== entry.sha256 || old.mode !== entry.mode)
      edits.push({ path: entry.path, status: 'modified', before: old, after: entry });
    before.delete(entry.path);
  }
  for (const old of before.values()) edits.push({ path: old.path, status: 'deleted', before: old });
  return edits.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
