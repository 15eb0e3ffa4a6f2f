// The sync core: the SyncPeer interface, the planner and the HTTP side of the peer protocol.
// Pure Node and contracts — no prisma, db or other server folders: the `berth` CLI bundles it.
export * from './sync-peer';
export { BlobFrameError, BLOB_FRAMES_CONTENT_TYPE, decodeBlobFrames, encodeBlobFrames } from './blob-frames';
export type { BlobFrameFault, BlobFrameLimits } from './blob-frames';
export { HttpPeer, type HttpPeerOptions } from './http-peer';
export { BerthClient, type BerthClientOptions, type RemoteProject, type RemoteUser } from './berth-client';
export { PeerHttpError } from './remote-api';
export * from './peer-wire';
export { runSync, type RunSyncOptions, type RunSyncOutcome, type SyncBase } from './run-sync';
export {
  baseAfter,
  keptBothName,
  planFiles,
  sameEntry,
  type FilePlan,
  type FilePlanInput,
  type MergeNeed,
  type MergeSettlement,
  type SyncSide,
} from './three-way';
export { decodeText, isText, mergeText, TEXT_MAX_BYTES, type TextMergeResult } from './text-merge';
export {
  conversationBaseAfter,
  planConversations,
  remoteCopyTitle,
  type ConversationCopy,
  type ConversationPlan,
  type ConversationPlanInput,
  type ConversationVersions,
} from './conversation-plan';
export {
  checkRemoteManifest,
  isOutsideSync,
  isRegularFileMode,
  isSymlinkMode,
  ManifestRefusedError,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  SYNC_MAX_FILE_BYTES,
  syncPathProblem,
} from './manifest-checks';
export { formatSyncSummary } from './summary';
