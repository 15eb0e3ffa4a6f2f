// Hybrid sync (issue 18, docs/adr-hybrid-sync.md): remotes (other Berths, tokens sealed), links of
// projects to remote projects with their base (the last agreed state), the sync run, its status
// and automatic sync (create-sync.ts); this Berth's side of the peer protocol (peer/); the pure
// core the `berth` CLI bundles too (core/: planner, HttpPeer, BerthClient — no db, no server imports).
// Imports contracts, core, db and other features' index.ts only; REST lives in server/http/.
export { createSync, type BerthSync, type SyncDeps, type SyncSettings } from './create-sync';
export { RemoteService, REMOTE_TOKENS_PURPOSE } from './remotes/remote-service';
export { LinkService } from './links/link-service';
export { SyncService, type LocalPeerFactory } from './sync-service';
export { SyncStatusService } from './sync-status';
export { createSyncPeers, type SyncPeers, type SyncPeerDeps, type SyncPeerSettings } from './peer/create-peers';
