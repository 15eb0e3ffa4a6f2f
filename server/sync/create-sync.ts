// Everything of sync this Berth runs as the initiator, made once by the composition root: the
// remotes (tokens sealed under their own key), the links with their bases, the sync and status
// services and automatic sync. This Berth's own side of a project (LocalPeer) comes in as
// `localPeer`; the remote's is BerthClient over HTTP. start() begins automatic sync (after the
// HTTP server listens); dispose() stops it and ends the syncs under way.
import type { SnapshotStore } from '../snapshots';
import type { AgentAnnouncer } from '../core/agent-events';
import { KeyedLock } from '../core/keyed-lock';
import type { Logger } from '../core/logger';
import { SecretBox } from '../core/secret-box';
import type { PrismaClient } from '../db';
import type { ProjectService } from '../projects';
import { AutoSync } from './auto-sync';
import { BerthClient } from './core/berth-client';
import { LinkService } from './links/link-service';
import { SyncBaseStore } from './links/sync-base';
import type { ConnectRemote } from './remotes/remote-berth';
import { createRemoteFetch } from './remotes/remote-fetch';
import { RemoteService, REMOTE_TOKENS_PURPOSE } from './remotes/remote-service';
import type { RemoteUrlPolicy } from './remotes/remote-url-policy';
import { SyncService, type LocalPeerFactory } from './sync-service';
import { SyncStatusService } from './sync-status';

export interface SyncDeps {
  prisma: PrismaClient;
  /** AUTH_SECRET: the remote tokens' key is derived from it. */
  secret: string;
  projects: Pick<ProjectService, 'get' | 'events'>;
  snapshots: Pick<SnapshotStore, 'create' | 'manifest' | 'missingBlobs'>;
  /** Announces workspace agents, whose fs.changed events trigger automatic syncs. */
  workspaces: AgentAnnouncer;
  localPeer: LocalPeerFactory;
  log: Logger;
  /** How a remote is reached (default: BerthClient over HTTP). */
  connect?: ConnectRemote;
}

export interface SyncSettings {
  urlPolicy: RemoteUrlPolicy;
  autoSyncDebounceMs: number;
  /** The largest blob taken from a remote (SNAPSHOT_MAX_FILE_MB in bytes): a bigger one is refused as it arrives. */
  maxBlobBytes: number;
}

export function createSync(deps: SyncDeps, settings: SyncSettings) {
  const { prisma, log } = deps;
  const projectLock = new KeyedLock();
  const bases = new SyncBaseStore(prisma, deps.snapshots);
  // Connections to remotes refuse internal addresses the URL policy refuses (DNS rebinding).
  const remoteFetch = createRemoteFetch(settings.urlPolicy);
  // Declared before the services that tell it of link changes; it calls back into `service`.
  const autoSync = new AutoSync(
    prisma,
    (userId, projectId) => service.sync(userId, projectId, { mode: 'both', onConflict: 'ask' }),
    { debounceMs: settings.autoSyncDebounceMs },
    log,
  );
  const unlinked = (projectId: string) => {
    autoSync.onDidChangeLink(projectId, null);
    status.unlinked(projectId);
  };
  const remotes = new RemoteService(
    prisma,
    new SecretBox(deps.secret, REMOTE_TOKENS_PURPOSE),
    deps.connect ??
      ((target) => new BerthClient({ ...target, fetch: remoteFetch, maxBlobBytes: settings.maxBlobBytes })),
    { urlPolicy: settings.urlPolicy, onDidUnlink: unlinked, log },
  );
  const links = new LinkService(prisma, deps.projects, remotes, projectLock, {
    onDidChangeLink: (projectId, link) => {
      if (link) {
        autoSync.onDidChangeLink(projectId, link);
        status.unlinked(projectId); // perhaps another remote project now: nothing kept of the old one
      } else unlinked(projectId);
    },
  });
  const service = new SyncService({
    prisma,
    projects: deps.projects,
    links,
    remotes,
    bases,
    localPeer: deps.localPeer,
    projectLock,
    log,
  });
  const status = new SyncStatusService({
    projects: deps.projects,
    links,
    remotes,
    bases,
    localPeer: deps.localPeer,
    log,
  });
  const offSynced = service.onDidSync((projectId) => status.forget(projectId));
  const offDeleted = deps.projects.events.on('onDidDelete', ({ projectId }) => unlinked(projectId));

  return {
    remotes,
    links,
    service,
    status,
    autoSync,
    /** This Berth's side of a project (the conflict view reads its copy of a file through it). */
    localPeer: deps.localPeer,
    /** Begins automatic sync of the links that ask for it. */
    start: () => autoSync.start(deps.workspaces),
    dispose: async () => {
      offSynced();
      offDeleted();
      autoSync.dispose();
      await service.dispose();
      await remotes.idle();
    },
  };
}

export type BerthSync = ReturnType<typeof createSync>;
