// A project's state as the peer protocol reports it. Files: a running workspace is snapshotted
// now (an unchanged one makes no snapshot: the latest is its state), a stopped one reports its
// latest snapshot, a project with none an empty manifest. Conversations: each with the hash of
// its portable form, computed again only when its fingerprint (title, last activity, message
// count, turn states) moved.
//
// What a sync never carries (`isOutsideSync`: `.git/` folders, a top-level `.berth/`) is left out
// of the files reported: a Berth's snapshots keep `.git/`, and the other side refuses a manifest
// holding it. The stateId names the content reported: a digest of those files (`empty` for none),
// plus a digest of the conversations' versions when there are any. So a change inside `.git/`
// alone (a commit, a fetch), which makes a new snapshot, keeps the stateId: no long poll or
// status check sees news, and an apply planned meanwhile is not refused as changed_meanwhile
// (the apply keeps the newest `.git/`). Equal stateIds mean equal files, which is what apply's
// `changes` rely on. Manifests and their digests are kept per snapshot (they never change) in a
// small cache: a no-op sync reads the project's state two or three times.
import type {
  PeerConversationRef,
  PortableConversation,
  ProjectDto,
  SnapshotDto,
  SyncManifestEntry,
} from '../../contracts';
import { createHash } from 'node:crypto';
import { DomainError } from '../../core/errors';
import { isOutsideSync } from '../core/manifest-checks';
import { conversationsDigest, conversationVersion } from './conversation-version';

/** The stateId of a project with no files to sync (no snapshot yet, or only `.git/`). */
export const EMPTY_STATE_ID = 'empty';
/** Conversation versions kept in memory (a fingerprint each): enough for every open project. */
const MAX_CACHED_VERSIONS = 20_000;
/** Manifest entries kept in memory across snapshots (about 250 bytes each): one big project's worth. */
const MAX_CACHED_ENTRIES = 250_000;

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
  /** The files a sync sees: the snapshot's, without what never travels. Shared: do not change. */
  files(): Promise<readonly SyncManifestEntry[]>;
  /** The snapshot's entries a sync never touches (`.git/`…): an apply keeps them. */
  outsideSync(): Promise<readonly SyncManifestEntry[]>;
}

interface SplitManifest {
  synced: readonly SyncManifestEntry[];
  outside: readonly SyncManifestEntry[];
  /** The files' part of the stateId. */
  filesId: string;
}

export class PeerStateReader {
  private readonly versions = new Map<string, { fingerprint: string; version: string }>();
  /** Manifests by snapshot id, least recently used first. */
  private readonly manifests = new Map<string, SplitManifest>();
  private cachedEntries = 0;

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
    const manifest = await this.manifestOf(snapshotId);
    return {
      stateId: stateIdOf(manifest.filesId, conversations),
      snapshotId,
      conversations,
      files: () => Promise.resolve(manifest.synced),
      outsideSync: () => Promise.resolve(manifest.outside),
    };
  }

  /** The stateId of the project holding `snapshotId`'s files and these conversations (after an apply). */
  async stateIdOf(snapshotId: string | null, conversations: readonly PeerConversationRef[]): Promise<string> {
    return stateIdOf((await this.manifestOf(snapshotId)).filesId, conversations);
  }

  /** A snapshot's files as a sync sees them (shared: do not change), and their part of a stateId. */
  async syncedFiles(snapshotId: string | null): Promise<{ files: readonly SyncManifestEntry[]; filesId: string }> {
    const manifest = await this.manifestOf(snapshotId);
    return { files: manifest.synced, filesId: manifest.filesId };
  }

  /** A snapshot's manifest split into what a sync sees and what it keeps out of, with its files' id. */
  private async manifestOf(snapshotId: string | null): Promise<SplitManifest> {
    if (!snapshotId) return { synced: [], outside: [], filesId: EMPTY_STATE_ID };
    const cached = this.manifests.get(snapshotId);
    if (cached) {
      this.manifests.delete(snapshotId);
      this.manifests.set(snapshotId, cached);
      return cached;
    }
    const entries = await this.snapshots.manifest(snapshotId);
    const outside = entries.filter((entry) => isOutsideSync(entry.path));
    const synced = outside.length === 0 ? entries : entries.filter((entry) => !isOutsideSync(entry.path));
    const split: SplitManifest = { synced, outside, filesId: filesIdOf(synced) };
    this.manifests.set(snapshotId, split);
    this.cachedEntries += entries.length;
    for (const [id, old] of this.manifests) {
      if (this.cachedEntries <= MAX_CACHED_ENTRIES || id === snapshotId) break;
      this.manifests.delete(id);
      this.cachedEntries -= old.synced.length + old.outside.length;
    }
    return split;
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

/**
 * The files' part of a stateId: 32 hex characters of a sha256 over every entry (path, mode,
 * size, hash) in code-unit order of paths, `empty` for none. Always under 64 characters with the
 * conversations' part.
 */
export function filesIdOf(files: readonly SyncManifestEntry[]): string {
  if (files.length === 0) return EMPTY_STATE_ID;
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const hash = createHash('sha256');
  for (const entry of sorted) hash.update(`${entry.path}\0${entry.mode}\0${entry.size}\0${entry.sha256}\n`);
  return `f${hash.digest('hex').slice(0, 32)}`;
}

export function stateIdOf(filesId: string, conversations: readonly PeerConversationRef[]): string {
  if (conversations.length === 0) return filesId;
  return `${filesId}.${conversationsDigest(conversations).slice(0, 24)}`;
}
