// A turn's changed files as Turn.changedFiles stores them: each with a fingerprint of what the turn
// left there (sha256 of the bytes it wrote, null when it removed the file). "Undo this turn"
// compares the file as it is now with that fingerprint to leave alone a file changed since.
import { createHash } from 'node:crypto';
import type { RecordedTurnFileChange } from '../../contracts';
import type { FileChangeLog, FileState } from '../tools';

export function recordedChanges(log: Pick<FileChangeLog, 'changes' | 'afterOf'>): RecordedTurnFileChange[] {
  return log.changes().map(({ path, change }) => {
    const afterSha256 = fingerprintOf(log.afterOf(path));
    return afterSha256 === undefined ? { path, change } : { path, change, afterSha256 };
  });
}

/** sha256 of the file's bytes, null when absent; undefined when unknown (not text). */
export function fingerprintOf(state: FileState | undefined): string | null | undefined {
  if (!state) return undefined;
  if (!state.exists) return null;
  // The write tools write the text as UTF-8, so these are the file's bytes.
  return state.text === null ? undefined : sha256Hex(Buffer.from(state.text, 'utf8'));
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
