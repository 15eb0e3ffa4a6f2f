// The peer protocol's paths and the answers the contract leaves unnamed (server/contracts/sync.ts
// names the inputs and the state). Shared by HttpPeer and the routes that serve it, so the two
// cannot drift. zod only.
import { z } from 'zod';
import { peerConversationSchema } from '../../contracts/sync';

/** Under /api/v1/projects/:id/sync/peer/. */
export const PEER_PATHS = {
  state: 'state',
  missing: 'blobs/missing',
  upload: 'blobs',
  read: 'blobs/read',
  conversations: 'conversations',
  apply: 'apply',
  present: 'present',
} as const;

export const peerPath = (projectId: string, path: (typeof PEER_PATHS)[keyof typeof PEER_PATHS]) =>
  `/api/v1/projects/${encodeURIComponent(projectId)}/sync/peer/${path}`;

/** The long poll waits at most this long (the server clamps waitMs to it). */
export const PEER_STATE_MAX_WAIT_MS = 30_000;

/** POST …/blobs → what was stored (blobs already held count too) and their content bytes. */
export const peerUploadResultSchema = z.object({ stored: z.number().int().min(0), bytes: z.number().int().min(0) });
export type PeerUploadResult = z.infer<typeof peerUploadResultSchema>;

/** POST …/conversations → the conversations asked for that exist, ids kept. */
export const peerConversationsResultSchema = z.object({ conversations: z.array(peerConversationSchema).max(1_000) });

export const peerApplyResultSchema = z.object({
  stateId: z.string().min(1).max(64),
  beforeSnapshotId: z.string().nullable(),
  written: z.number().int().min(0),
  deleted: z.number().int().min(0),
});
