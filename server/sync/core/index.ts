// The sync core: the SyncPeer interface, the planner and the HTTP side of the peer protocol.
// Pure Node and contracts — no prisma, db or other server folders: the `berth` CLI bundles it.
export * from './sync-peer';
export { BlobFrameError, BLOB_FRAMES_CONTENT_TYPE, decodeBlobFrames, encodeBlobFrames } from './blob-frames';
export type { BlobFrameFault, BlobFrameLimits } from './blob-frames';
export { HttpPeer, type HttpPeerOptions } from './http-peer';
export { BerthClient, type BerthClientOptions, type RemoteProject, type RemoteUser } from './berth-client';
export { PeerHttpError } from './remote-api';
export * from './peer-wire';
