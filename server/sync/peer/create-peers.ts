// This Berth's side of the peer protocol, made once by the composition root: the PeerService the
// routes serve (server/http/sync-peer.routes.ts), LocalPeer for this Berth's own syncs, the
// watch that wakes long polls, the start-up pass that finishes applies an interruption left
// `applying`, and an hourly clean-up of old blob grants and of finished applies' rows.
import type { AgentAnnouncer } from '../../core/agent-events';
import { KeyedLock } from '../../core/keyed-lock';
import type { Logger } from '../../core/logger';
import type { PrismaClient } from '../../db';
import { BlobWriter, type SnapshotService, type SnapshotStore } from '../../snapshots';
import type { SyncPeer } from '../core/sync-peer';
import { BlobScope } from './blob-scope';
import { DiskPresence, type PresenceAgent } from './disk-presence';
import { LocalPeer } from './local-peer';
import { PeerApplier, type ApplyConversations } from './peer-apply';
import { PeerService, type PeerProjects } from './peer-service';
import { PeerStateReader, type StateConversations } from './peer-state';
import { ProjectChanges, type ConversationChanges } from './project-changes';

const GRANT_CLEANUP_MS = 60 * 60_000;
/** How long start-up waits for workspaces to be adopted before finishing interrupted applies. */
const SETTLE_MS = 30_000;

export interface SyncPeerDeps {
  prisma: PrismaClient;
  projects: PeerProjects;
  workspaces: AgentAnnouncer & {
    agent(projectId: string): PresenceAgent | undefined;
    ensureRunning(projectId: string): Promise<unknown>;
    settledStatus(projectId: string, waitMs?: number): Promise<unknown>;
  };
  snapshots: {
    service: Pick<SnapshotService, 'take' | 'applySnapshot'>;
    store: Pick<SnapshotStore, 'latest' | 'manifest' | 'create' | 'putBlobs' | 'readBlobs'>;
  };
  conversations: StateConversations & ApplyConversations & ConversationChanges;
  log: Logger;
}

export interface SyncPeerSettings {
  /** The largest blob a peer may send (SNAPSHOT_MAX_FILE_MB in bytes). */
  maxBlobBytes: number;
  /** The largest blob upload one request may carry, inflated. */
  uploadMaxBytes: number;
  /** How this Berth is named in the other side's labels ("before sync with <name>"): its host. */
  name: string;
}

export function createSyncPeers(deps: SyncPeerDeps, settings: SyncPeerSettings) {
  const { prisma, log } = deps;
  const scope = new BlobScope(prisma);
  const state = new PeerStateReader(
    { take: (projectId, reason) => deps.snapshots.service.take(projectId, reason), ...storeReads(deps) },
    deps.conversations,
    (projectId) => deps.workspaces.agent(projectId) !== undefined,
  );
  const applier = new PeerApplier({
    prisma,
    snapshots: deps.snapshots.service,
    store: deps.snapshots.store,
    workspaces: deps.workspaces,
    conversations: deps.conversations,
    state,
    scope,
  });
  const changes = new ProjectChanges(deps.workspaces, deps.conversations);
  const lock = new KeyedLock();
  const service = new PeerService({
    projects: deps.projects,
    state,
    applier,
    scope,
    store: deps.snapshots.store,
    newBlobWriter: () => new BlobWriter(deps.snapshots.store),
    conversations: deps.conversations,
    changes,
    disk: new DiskPresence(deps.workspaces),
    lock,
    maxBlobBytes: settings.maxBlobBytes,
  });

  let disposed = false;
  /** Finishes every apply left `applying` (runs in the background once the HTTP server listens). */
  const finishInterrupted = async () => {
    await applier.dropFinished();
    for (const projectId of await applier.pendingProjects()) {
      if (disposed) return;
      await deps.workspaces.settledStatus(projectId, SETTLE_MS);
      if (disposed) return;
      await service
        .finishPending(projectId)
        .then((finished) => finished && log.info({ projectId }, 'finished an interrupted sync'))
        .catch((error: unknown) => log.warn({ projectId, err: error }, 'could not finish an interrupted sync yet'));
    }
  };
  const grantTimer = setInterval(() => {
    scope.dropOldGrants().catch((error: unknown) => log.warn({ err: error }, 'dropping old blob grants failed'));
    applier.dropFinished().catch((error: unknown) => log.warn({ err: error }, 'dropping finished applies failed'));
  }, GRANT_CLEANUP_MS);
  grantTimer.unref();

  return {
    service,
    /** The routes' settings. */
    limits: { maxBlobBytes: settings.maxBlobBytes, uploadMaxBytes: settings.uploadMaxBytes },
    /** This Berth's project as one side of a sync, named `name` in the other side's labels. */
    localPeer: (userId: string, projectId: string): SyncPeer =>
      new LocalPeer(service, userId, projectId, settings.name),
    start: () => {
      finishInterrupted().catch((error: unknown) => log.warn({ err: error }, 'finishing interrupted syncs failed'));
    },
    /** Long polls still waiting (tests). */
    openWatches: () => changes.size,
    dispose: async () => {
      disposed = true;
      clearInterval(grantTimer);
      changes.dispose();
      await lock.idle();
    },
  };
}

export type SyncPeers = ReturnType<typeof createSyncPeers>;

function storeReads(deps: SyncPeerDeps) {
  const { store } = deps.snapshots;
  return {
    latest: (projectId: string) => store.latest(projectId),
    manifest: (snapshotId: string) => store.manifest(snapshotId),
  };
}
