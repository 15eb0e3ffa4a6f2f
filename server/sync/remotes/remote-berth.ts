// What the sync feature needs of a remote Berth, as BerthClient (server/sync/core/berth-client.ts)
// offers it: whom the token signs in as, its projects, a new project, and a SyncPeer for one of
// them. Structural, so the services are built (and unit-tested) without the HTTP client; the
// composition (create-sync.ts) passes the real one.
import type { TemplateId } from '../../contracts';
import type { SyncPeer } from '../core/sync-peer';

export interface RemoteAccount {
  email: string;
  name: string;
}

export interface RemoteProject {
  id: string;
  name: string;
}

export interface RemoteBerth {
  me(): Promise<RemoteAccount>;
  projects(): Promise<RemoteProject[]>;
  createProject(input: { name: string; template: TemplateId }): Promise<RemoteProject>;
  peer(projectId: string, name: string): SyncPeer;
}

/** Opens a client for one remote: its base URL (normalized, checked) and the user's token there. */
export type ConnectRemote = (target: { baseUrl: string; token: string }) => RemoteBerth;
