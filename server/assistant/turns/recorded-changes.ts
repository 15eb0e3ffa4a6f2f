// A turn's changed files as Turn.changedFiles stores them: each with a fingerprint of what the turn
// left there (sha256 of the bytes it wrote, null when it removed the file) and of what it found
// there. "Undo this turn" compares the file as it is now with the first to leave alone a file
// changed since, and the snapshot's version with the second to catch a save made mid-turn.
import { createHash } from 'node:crypto';
import type { RecordedTurnFileChange } from '../../contracts';
import type { FileChangeLog, FileState } from '../tools';

export function recordedChanges(
  log: Pick<FileChangeLog, 'changes' | 'afterOf' | 'beforeOf'>,
): RecordedTurnFileChange[] {
  return log.changes().map(({ path, change }) => {
    const afterSha256 = fingerprintOf(log.afterOf(path));
    const beforeSha256 = fingerprintOf(log.beforeOf(path));
    return {
      path,
      change,
      ...(afterSha256 === undefined ? {} : { afterSha256 }),
      ...(beforeSha256 === undefined ? {} : { beforeSha256 }),
    };
  });
}

/** sha256 of the file's bytes, null when absent; undefined when unknown (not text). */
export function fingerprintOf(state: FileState | undefined): string | null | undefined {
  if (!state) return undefined;
  if (!state.exists) return null;
  // The write tools write the text as UTF-8 and read it decoded (a file that does not decode is
  // not text), so these are the file's bytes.
  return state.text === null ? undefined : sha256Hex(Buffer.from(state.text, 'utf8'));
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
