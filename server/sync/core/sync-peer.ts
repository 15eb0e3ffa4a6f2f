// One side of a sync, as the initiator sees it (docs/adr-hybrid-sync.md). Served in-process by
// a Berth for its own projects (server/sync/peer: LocalPeer), over HTTP for a remote Berth
// (HttpPeer, here in core so the CLI bundles it too), and by the CLI for a plain folder
// (server/cli: FolderPeer). The planner and runSync drive any two of them the same way.
import { ManifestRefusedError } from './manifest-checks';
import type { PeerApplyInput, PeerApplyResultDto, PeerConversation, PeerStateDto } from '../../contracts/sync';

export interface BlobContent {
  sha256: string;
  content: Buffer;
}

export type PeerStateAnswer = PeerStateDto | { unchanged: true; stateId: string };

export interface SyncProgress {
  phase: 'state' | 'upload' | 'download' | 'apply';
  /** Bytes (upload/download) or files (apply) done, of total. */
  done: number;
  total: number;
}

export interface SyncPeer {
  /** How this side is named in labels and messages ("team.example.com", "~/code/app"). */
  readonly name: string;
  /** Whether this side holds conversations (a plain folder does not: they are then left out of the sync). */
  readonly conversationsSupported: boolean;
  /** The project now. With `known`, answers `unchanged` when it still is that state (waiting up to waitMs for a change). */
  state(options?: { known?: string; waitMs?: number; signal?: AbortSignal }): Promise<PeerStateAnswer>;
  /** Of these content hashes, those this side lacks (and must be sent before an apply names them). */
  missing(hashes: string[]): Promise<string[]>;
  /** Stores blobs; each is checked against its hash (a mismatch refuses the whole call). */
  putBlobs(
    blobs: AsyncIterable<BlobContent>,
    onBytes?: (bytes: number) => void,
  ): Promise<{ stored: number; bytes: number }>;
  /** Blobs this side holds, each checked against its hash on arrival. Throws when one is unknown. */
  readBlobs(hashes: string[], onBytes?: (bytes: number) => void): AsyncIterable<BlobContent>;
  /**
   * Of these paths — all absent from this side's last state — those that exist on its disk all the
   * same: ignored there, skipped for their size, unreadable. A sync never deletes their copies on
   * the other side (their absence is no deletion) and never writes over them here (that would be
   * a conflict). Optional while every peer gains it; a peer without it is asked nothing.
   */
  present?(paths: string[]): Promise<string[]>;
  /** Conversations by id, portable, ids kept (a folder has none: an empty list). */
  conversations(ids: string[]): Promise<PeerConversation[]>;
  /** Makes the project hold exactly `files` (+ conversation changes) if it is still `expectedStateId`. */
  apply(input: PeerApplyInput): Promise<PeerApplyResultDto>;
}

/** apply's refusal when the project changed since the initiator read it: plan again. */
export class ChangedMeanwhileError extends Error {
  readonly code = 'changed_meanwhile';
  constructor(message = 'The project changed while the sync was being planned; sync again') {
    super(message);
  }
}

/** A remote that refuses the token (401/403): the user must give a new one. Surfaces as 409 with the reason. */
export class PeerRefusedError extends Error {
  readonly code = 'remote_refused';
}

/** Errors the caller must see as such (a refused token, a hostile remote, a cancel) rather than as a failed sync. */
export function mustThrow(error: unknown, signal: AbortSignal | undefined): boolean {
  return error instanceof PeerRefusedError || error instanceof ManifestRefusedError || signal?.aborted === true;
}
