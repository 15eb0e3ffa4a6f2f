// A project's state as the peer protocol reports it. Files: a running workspace is snapshotted
// now (an unchanged one makes no snapshot: the latest is its state), a stopped one reports its
// latest snapshot, a project with none an empty manifest. Conversations: each with the hash of
// its portable form, computed again only when its fingerprint (title, last activity, message
// count, turn states) moved. The stateId names both: the snapshot's id, plus a digest of the
// conversations' versions when there are any.
import type {
  PeerConversationRef,
  PortableConversation,
  ProjectDto,
  SnapshotDto,
  SyncManifestEntry,
} from '../../contracts';
import { DomainError } from '../../core/errors';
import { conversationsDigest, conversationVersion } from './conversation-version';

/** The stateId of a project with no snapshot yet. */
export const EMPTY_STATE_ID = 'empty';
/** Conversation versions kept in memory (a fingerprint each): enough for every open project. */
const MAX_CACHED_VERSIONS = 20_000;

export interface StateSnapshots {
  take(projectId: string, reason: 'auto'): Promise<{ snapshot: SnapshotDto }>;
  latest(projectId: string): Promise<SnapshotDto | null>;
  manifest(snapshotId: string): Promise<SyncManifestEntry[]>;
}

export interface StateConversations {
  syncFingerprints(userId: string, projectId: string): Promise<{ id: string; title: string; fingerprint: string }[]>;
  exportWithIds(
    userId: string,
    projectId: string,
    ids: readonly string[],
  ): Promise<{ id: string; conversation: PortableConversation }[]>;
}

/** The state without its manifest, which is read only when asked for. */
export interface CurrentState {
  stateId: string;
  /** The snapshot the files were read from; null when the project has none. */
  snapshotId: string | null;
  conversations: PeerConversationRef[];
  files(): Promise<SyncManifestEntry[]>;
}

export class PeerStateReader {
  private readonly versions = new Map<string, { fingerprint: string; version: string }>();

  constructor(
    private readonly snapshots: StateSnapshots,
    private readonly conversations: StateConversations,
    private readonly isRunning: (projectId: string) => boolean,
  ) {}

  async current(userId: string, project: Pick<ProjectDto, 'id'>): Promise<CurrentState> {
    const [snapshotId, conversations] = await Promise.all([
      this.filesSnapshot(project.id),
      this.conversationRefs(userId, project.id),
    ]);
    let manifest: Promise<SyncManifestEntry[]> | undefined;
    return {
      stateId: stateIdOf(snapshotId, conversations),
      snapshotId,
      conversations,
      files: () => (manifest ??= snapshotId ? this.snapshots.manifest(snapshotId) : Promise.resolve([])),
    };
  }

  /** The snapshot the project's files are now: a fresh one of a running workspace, else the latest. */
  private async filesSnapshot(projectId: string): Promise<string | null> {
    if (this.isRunning(projectId)) {
      try {
        return (await this.snapshots.take(projectId, 'auto')).snapshot.id;
      } catch (error) {
        // Stopped between the check and the scan: the latest snapshot is its state.
        if (!(error instanceof DomainError && error.code === 'workspace_not_running')) throw error;
      }
    }
    return (await this.snapshots.latest(projectId))?.id ?? null;
  }

  async conversationRefs(userId: string, projectId: string): Promise<PeerConversationRef[]> {
    const prints = await this.conversations.syncFingerprints(userId, projectId);
    const stale = prints.filter((print) => this.versions.get(print.id)?.fingerprint !== print.fingerprint);
    if (stale.length > 0) {
      const fresh = await this.conversations.exportWithIds(
        userId,
        projectId,
        stale.map((print) => print.id),
      );
      const fingerprints = new Map(stale.map((print) => [print.id, print.fingerprint]));
      for (const print of stale) this.versions.delete(print.id);
      for (const { id, conversation } of fresh)
        this.remember(id, fingerprints.get(id)!, conversationVersion(conversation));
    }
    return prints.flatMap((print) => {
      const known = this.versions.get(print.id);
      // Deleted between the two reads: not part of this state.
      return known ? [{ id: print.id, title: print.title, version: known.version }] : [];
    });
  }

  private remember(id: string, fingerprint: string, version: string): void {
    this.versions.delete(id);
    this.versions.set(id, { fingerprint, version });
    if (this.versions.size > MAX_CACHED_VERSIONS) this.versions.delete(this.versions.keys().next().value!);
  }
}

export function stateIdOf(snapshotId: string | null, conversations: readonly PeerConversationRef[]): string {
  const files = snapshotId ?? EMPTY_STATE_ID;
  if (conversations.length === 0) return files;
  return `${files}.${conversationsDigest(conversations).slice(0, 24)}`;
}
