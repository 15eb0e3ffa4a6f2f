// What one runSync has done so far, across its attempts (a later attempt after
// changed_meanwhile adds to it): the paths and conversations each side received, the conflicts,
// the held paths, the "before sync with …" snapshots and the stateIds both sides were left at —
// and the result the caller gets from it.
import type { PeerApplyResultDto, SyncConflictDto, SyncRequest, SyncResultDto } from '../../contracts/sync';
import type { ConversationPlan } from './conversation-plan';
import type { FilePlan, SyncSide } from './three-way';

/** What the attempts so far changed: a later attempt after changed_meanwhile adds to it. */
export class Tally {
  readonly uploaded = new Set<string>();
  readonly downloaded = new Set<string>();
  readonly conversationsUploaded = new Set<string>();
  readonly conversationsDownloaded = new Set<string>();
  readonly conflicts = new Map<string, SyncConflictDto>();
  held: { path: string; reason: string }[] = [];
  beforeLocal: string | null = null;
  beforeRemote: string | null = null;
  localStateId = '';
  remoteStateId = '';
  /** The new base forgot an entry neither side could give: that path compares as new next time. */
  forgotten = false;

  applied(side: SyncSide, files: FilePlan, conversations: ConversationPlan | null, result: PeerApplyResultDto): void {
    const [paths, ids] =
      side === 'local' ? [this.downloaded, this.conversationsDownloaded] : [this.uploaded, this.conversationsUploaded];
    const [writes, deletes] =
      side === 'local' ? [files.localWrites, files.localDeletes] : [files.remoteWrites, files.remoteDeletes];
    for (const entry of writes) paths.add(entry.path);
    for (const path of deletes) paths.add(path);
    if (conversations) {
      const [puts, gone] =
        side === 'local'
          ? [conversations.localPuts, conversations.localDeletes]
          : [conversations.remotePuts, conversations.remoteDeletes];
      for (const copy of puts) ids.add(copy.id);
      for (const id of gone) ids.add(id);
    }
    if (side === 'local') {
      this.beforeLocal ??= result.beforeSnapshotId;
      this.localStateId = result.stateId;
    } else {
      this.beforeRemote ??= result.beforeSnapshotId;
      this.remoteStateId = result.stateId;
    }
  }

  noteConflicts(conflicts: readonly SyncConflictDto[]): void {
    for (const conflict of conflicts) this.conflicts.set(`${conflict.kind}:${conflict.path}`, conflict);
  }

  result(success: boolean, errors: string[]): SyncResultDto {
    const sorted = (set: Set<string>): string[] => [...set].sort();
    return {
      success,
      filesUploaded: this.uploaded.size,
      filesDownloaded: this.downloaded.size,
      conversationsUploaded: this.conversationsUploaded.size,
      conversationsDownloaded: this.conversationsDownloaded.size,
      conflicts: [...this.conflicts.values()],
      errors,
      timestamp: new Date().toISOString(),
      uploaded: sorted(this.uploaded),
      downloaded: sorted(this.downloaded),
      beforeSnapshots: { local: this.beforeLocal, remote: this.beforeRemote },
      ...(this.held.length > 0 ? { held: this.held } : {}),
    };
  }
}

/** Whether a sync that worked left both sides alike with nothing open: then equal stateIds later mean nothing to do. */
export function endedClean(result: SyncResultDto, request: SyncRequest, tally: Tally): boolean {
  return (
    result.success &&
    request.mode === 'both' &&
    !tally.forgotten &&
    tally.held.length === 0 &&
    result.conflicts.every((conflict) => conflict.outcome !== 'unresolved') &&
    tally.localStateId !== '' &&
    tally.remoteStateId !== ''
  );
}
