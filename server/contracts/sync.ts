// Hybrid sync (issue 18): the REST contract for remotes, links and syncs, and the peer protocol
// two Berths (or a Berth and the `berth` command line) speak to move manifests and blobs. The
// design is docs/adr-hybrid-sync.md. zod only: this file ships to the browser and the CLI.
import { z } from 'zod';
import { portableConversationSchema } from './assistant-export';
import { TEMPLATES, type TemplateId } from './projects';

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256');
/** Entries a manifest may hold (a snapshot's own cap). */
export const SYNC_MAX_MANIFEST_ENTRIES = 200_000;
/** Hashes one request may name (missing, read). */
export const SYNC_MAX_HASHES = 200_000;

// ---------------------------------------------------------------------------------------------
// Shared values
// ---------------------------------------------------------------------------------------------

/** One file of a project's state: full st_mode (regular file or symlink), size, content hash. */
export const syncManifestEntrySchema = z.object({
  path: z.string().min(1).max(1024),
  mode: z.number().int(),
  size: z.number().int().min(0),
  sha256: sha256Schema,
});
export type SyncManifestEntry = z.infer<typeof syncManifestEntrySchema>;
export const syncManifestSchema = z.array(syncManifestEntrySchema).max(SYNC_MAX_MANIFEST_ENTRIES);

/** upload: only the other side changes; download: only this side; both: either. */
export const SYNC_MODES = ['upload', 'download', 'both'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];
export const CONFLICT_STRATEGIES = ['local', 'remote', 'merge', 'ask'] as const;
export type ConflictStrategy = (typeof CONFLICT_STRATEGIES)[number];
/** A choice for one conflict (the answers to `ask`). */
export const CONFLICT_CHOICES = ['local', 'remote', 'merge'] as const;
export type ConflictChoice = (typeof CONFLICT_CHOICES)[number];

/**
 * How a conflict ended:
 * - local / remote: that side's version was taken on both;
 * - merged: a clean three-way text merge;
 * - markers: merged with conflict markers written — the file needs review;
 * - kept-both: a binary; this side's stays, the other's was added as `name (remote).ext`;
 * - unresolved: `ask` — nothing changed for it on either side; answer with `resolutions`.
 */
export const CONFLICT_OUTCOMES = ['local', 'remote', 'merged', 'markers', 'kept-both', 'unresolved'] as const;
export type ConflictOutcome = (typeof CONFLICT_OUTCOMES)[number];

export const syncConflictSchema = z.object({
  kind: z.enum(['file', 'conversation']),
  /** The file's path, or the conversation's id. */
  path: z.string(),
  /** A conversation's title; absent for files. */
  title: z.string().optional(),
  /** Content hashes (files) or version hashes (conversations); null where that side has none (deleted). */
  base: sha256Schema.nullable(),
  local: sha256Schema.nullable(),
  remote: sha256Schema.nullable(),
  /** Text both sides can show side by side (false for binaries and conversations). */
  text: z.boolean(),
  outcome: z.enum(CONFLICT_OUTCOMES),
  /** kept-both: where the other side's copy went. */
  keptAs: z.string().optional(),
});
export type SyncConflictDto = z.infer<typeof syncConflictSchema>;

// ---------------------------------------------------------------------------------------------
// REST: remotes, links, syncs (contracts of issue 18; paths in server/http/)
// ---------------------------------------------------------------------------------------------

/** POST /api/v1/remotes */
export const createRemoteSchema = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  token: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(64).optional(),
});
export type CreateRemoteInput = z.infer<typeof createRemoteSchema>;

export interface RemoteDto {
  id: string;
  name: string;
  /** The remote Berth's base URL (no trailing slash). */
  url: string;
  /** The token, masked: its prefix and last four characters. */
  tokenMasked: string;
  createdAt: string;
  /** What the last check found: whom the token signs in as and how many projects it reaches. */
  account: { email: string | null; name: string | null; projects: number } | null;
  lastCheckedAt: string | null;
  /** The last check's failure, in words; null when it worked. */
  error: string | null;
}

/** PUT /api/v1/projects/:id/link — an existing remote project, or `createRemoteProject` to make one. */
export const putLinkSchema = z.union([
  z.object({ remoteId: z.string().min(1).max(64), remoteProjectId: z.string().min(1).max(64) }),
  z.object({ remoteId: z.string().min(1).max(64), createRemoteProject: z.literal(true) }),
]);
export type PutLinkInput = z.infer<typeof putLinkSchema>;

/** PATCH-like settings carried by PUT too: automatic sync (after saves, debounced, and every N minutes). */
export const linkSettingsSchema = z.object({
  autoSync: z.boolean().optional(),
  /** 0 = no periodic sync. */
  intervalMinutes: z.number().int().min(0).max(1440).optional(),
});

export interface LinkDto {
  projectId: string;
  remoteId: string;
  remoteProjectId: string;
  remoteName: string;
  remoteUrl: string;
  remoteProjectName: string | null;
  autoSync: boolean;
  intervalMinutes: number;
  createdAt: string;
}

/**
 * An answer to one conflict of an earlier `ask`. With the hashes of the two versions the user
 * compared (the conflict's `local` and `remote`), it holds only while both sides still hold
 * those versions: a newer change on either side lists the conflict unresolved again. The bare
 * choice (for scripts) holds whatever the versions.
 */
export const conflictResolutionSchema = z.union([
  z.enum(CONFLICT_CHOICES),
  z.object({ choice: z.enum(CONFLICT_CHOICES), local: sha256Schema.nullable(), remote: sha256Schema.nullable() }),
]);
export type ConflictResolution = z.infer<typeof conflictResolutionSchema>;

/** POST /api/v1/projects/:id/sync */
export const syncRequestSchema = z.object({
  mode: z.enum(SYNC_MODES),
  onConflict: z.enum(CONFLICT_STRATEGIES),
  /** Answers to an earlier `ask`: file path or conversation id → choice (or choice and the versions it was made on). */
  resolutions: z.record(z.string().max(1024), conflictResolutionSchema).optional(),
});
export type SyncRequest = z.infer<typeof syncRequestSchema>;

export interface SyncResultDto {
  success: boolean;
  filesUploaded: number;
  filesDownloaded: number;
  conversationsUploaded: number;
  conversationsDownloaded: number;
  conflicts: SyncConflictDto[];
  /** Human-readable reasons; empty when success. */
  errors: string[];
  timestamp: string;
  /** The paths behind the counts, for the list under the summary. */
  uploaded?: string[];
  downloaded?: string[];
  /** The snapshots taken before the sync changed each side ("before sync with …"): one restore undoes it. */
  beforeSnapshots?: { local: string | null; remote: string | null };
  /**
   * Paths one side leaves out of its state (ignored there, too large, unreadable) but still has on
   * disk: their absence was not taken as a deletion, so the other side's copy was kept.
   */
  held?: { path: string; reason: string }[];
}

export const SYNC_STATUSES = ['synced', 'pending', 'conflict', 'error'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/** GET /api/v1/projects/:id/sync */
export interface SyncStatusDto {
  status: SyncStatus;
  lastSyncedAt: string | null;
  /** Files and conversations changed on either side since the last agreed state. */
  pendingChanges: number;
  conflicts: SyncConflictDto[];
  /** status 'error': why. */
  error?: string;
}

// ---------------------------------------------------------------------------------------------
// Peer protocol (Berth ↔ Berth, CLI ↔ Berth). Bearer token or session; the project must be the
// caller's (404 otherwise). Paths under /api/v1/projects/:id/sync/peer/.
// ---------------------------------------------------------------------------------------------

/** A conversation as a peer lists it: its id travels (kept on both sides), its version is a hash of its content. */
export const peerConversationRefSchema = z.object({
  id: z.string().min(1).max(64),
  title: z.string(),
  version: sha256Schema,
});
export type PeerConversationRef = z.infer<typeof peerConversationRefSchema>;

/** GET …/sync/peer/state[?known=<stateId>&waitMs=<ms>] — the project as it is now. */
export const peerStateSchema = z.object({
  project: z.object({
    id: z.string(),
    name: z.string(),
    template: z.enum(TEMPLATES.map((t) => t.id) as [TemplateId, ...TemplateId[]]),
  }),
  /** Names this exact content (the snapshot it was read from): equal ids = nothing changed. */
  stateId: z.string().min(1).max(64),
  files: syncManifestSchema,
  conversations: z.array(peerConversationRefSchema).max(1_000),
});
export type PeerStateDto = z.infer<typeof peerStateSchema>;
/** `known` matched and nothing changed within waitMs. */
export const peerStateUnchangedSchema = z.object({ unchanged: z.literal(true), stateId: z.string() });

/** POST …/sync/peer/blobs/missing — of these hashes, those the caller must send. */
export const peerHashesSchema = z.object({ hashes: z.array(sha256Schema).max(SYNC_MAX_HASHES) });
export const peerMissingResultSchema = z.object({ missing: z.array(sha256Schema) });
// POST …/sync/peer/blobs (application/x-berth-blobs, optionally Content-Encoding: gzip): framed
// blobs, each verified against its hash on arrival → { stored, bytes }.
// POST …/sync/peer/blobs/read { hashes } → the same framing back (only blobs of the caller's projects).

/** POST …/sync/peer/present { paths } → { present }: which of these paths exist on disk although the state leaves them out. */
export const peerPathsSchema = z.object({ paths: z.array(z.string().min(1).max(1024)).max(SYNC_MAX_HASHES) });
export const peerPresentResultSchema = z.object({ present: z.array(z.string()) });

/** POST …/sync/peer/conversations { ids } → the conversations, portable, ids kept. */
export const peerConversationIdsSchema = z.object({ ids: z.array(z.string().min(1).max(64)).max(1_000) });
export const peerConversationSchema = z.object({
  id: z.string().min(1).max(64),
  conversation: portableConversationSchema,
});
export type PeerConversation = z.infer<typeof peerConversationSchema>;

/**
 * POST …/sync/peer/apply — make the project hold exactly `files` (and these conversation
 * changes), if it still is `expectedStateId` (else 409 changed_meanwhile). Every blob must be
 * the caller's (in its projects or sent by it). A snapshot labelled `label` is taken first; the
 * apply is journalled, so an interrupted one is finished before the project is read again.
 * Instead of `files`, `changes` may name only the difference from the files of `expectedStateId`
 * (what a caller that read that state sends: a few entries instead of the whole manifest); the
 * target is that state's files with `put` written over and `delete` removed, checked the same way.
 * Exactly one of the two.
 */
const peerApplyCommon = {
  expectedStateId: z.string().min(1).max(64),
  /** "before sync with …" */
  label: z.string().trim().min(1).max(100),
  conversations: z
    .object({
      put: z.array(peerConversationSchema).max(1_000),
      delete: z.array(z.string().min(1).max(64)).max(1_000),
    })
    .optional(),
};
export const peerApplyChangesSchema = z.object({
  put: syncManifestSchema,
  delete: z.array(z.string().min(1).max(1024)).max(SYNC_MAX_MANIFEST_ENTRIES),
});
export type PeerApplyChanges = z.infer<typeof peerApplyChangesSchema>;
/** What a SyncPeer's apply takes: the whole target. */
export const peerApplyFilesSchema = z.object({ ...peerApplyCommon, files: syncManifestSchema });
export type PeerApplyInput = z.infer<typeof peerApplyFilesSchema>;
/** The body on the wire: the whole target (`files`) or the difference (`changes`). */
export const peerApplySchema = z
  .object({ ...peerApplyCommon, files: syncManifestSchema.optional(), changes: peerApplyChangesSchema.optional() })
  .superRefine((value, ctx) => {
    if ((value.files === undefined) === (value.changes === undefined))
      ctx.addIssue({ code: 'custom', path: ['files'], message: 'Send either files or changes (exactly one)' });
  });
export type PeerApplyRequest = z.infer<typeof peerApplySchema>;
export interface PeerApplyResultDto {
  stateId: string;
  beforeSnapshotId: string | null;
  written: number;
  deleted: number;
}

// ---------------------------------------------------------------------------------------------
// The command line's browser sign-in (`berth login <url>` without --token)
// ---------------------------------------------------------------------------------------------

/** POST /api/v1/cli/login → a code the user approves at approveUrl; the CLI polls with pollToken. */
export const cliLoginStartSchema = z.object({ device: z.string().trim().min(1).max(100).optional() });
export interface CliLoginStartDto {
  code: string;
  pollToken: string;
  approveUrl: string;
  expiresAt: string;
}
/** POST /api/v1/cli/login/poll { pollToken } → pending, or the new token (once). */
export const cliLoginPollSchema = z.object({ pollToken: z.string().min(1).max(200) });
export type CliLoginPollDto = { status: 'pending' } | { status: 'approved'; token: string } | { status: 'expired' };
/** POST /api/v1/cli/login/approve { code } (signed-in user, Origin checked). */
export const cliLoginApproveSchema = z.object({ code: z.string().trim().min(1).max(20) });
/** GET /api/v1/cli/login/:code (signed-in user) and the approve answer: what the approve page shows. */
export interface CliLoginRequestDto {
  code: string;
  /** The machine the CLI runs on, as it told (not verified: the code is what the user compares). */
  device: string | null;
  expiresAt: string;
  status: 'pending' | 'approved' | 'expired';
}
