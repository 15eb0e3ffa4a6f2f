// This Berth's side of the peer protocol for one user's project (docs/adr-hybrid-sync.md): what
// the HTTP routes (server/http/sync-peer.routes.ts) and LocalPeer call. Every call checks the
// project is the user's first (404 otherwise). Reads and applies of one project take turns
// (a KeyedLock), and each finishes an apply an interruption left `applying` before anything
// else; a long poll waits outside the lock.
import type { PeerApplyRequest, PeerApplyResultDto, PeerConversation, PeerStateDto, ProjectDto } from '../../contracts';
import { DomainError } from '../../core/errors';
import type { KeyedLock } from '../../core/keyed-lock';
import { sha256Hex, type BlobWriter } from '../../snapshots';
import { PEER_STATE_MAX_WAIT_MS } from '../core/peer-wire';
import type { BlobContent, PeerStateAnswer } from '../core/sync-peer';
import type { BlobScope } from './blob-scope';
import type { DiskPresence } from './disk-presence';
import type { PeerApplier } from './peer-apply';
import type { PeerStateReader, StateConversations } from './peer-state';
import type { ProjectChanges } from './project-changes';

export interface PeerProjects {
  /** Throws not_found when the project does not exist or is not the user's. */
  get(userId: string, projectId: string): Promise<ProjectDto>;
}

export interface PeerBlobStore {
  readBlobs(hashes: string[]): Promise<Map<string, Buffer>>;
}

export interface PeerServiceDeps {
  projects: PeerProjects;
  state: PeerStateReader;
  applier: PeerApplier;
  scope: BlobScope;
  store: PeerBlobStore;
  newBlobWriter(): Pick<BlobWriter, 'add' | 'finish'>;
  conversations: Pick<StateConversations, 'exportWithIds'>;
  changes: ProjectChanges;
  disk: Pick<DiskPresence, 'present'>;
  lock: KeyedLock;
  /** The largest blob one may send (SNAPSHOT_MAX_FILE_MB). */
  maxBlobBytes: number;
}

export interface StateOptions {
  known?: string;
  waitMs?: number;
  signal?: AbortSignal;
}

/** Blobs read from PostgreSQL per query: about this many bytes (or one bigger blob). */
const READ_BATCH_BYTES = 8 * 1024 * 1024;
const READ_BATCH_COUNT = 500;

export class PeerService {
  constructor(private readonly deps: PeerServiceDeps) {}

  /** 404 unless the project is the user's (before a big body is read). */
  async assertOwner(userId: string, projectId: string): Promise<ProjectDto> {
    return this.deps.projects.get(userId, projectId);
  }

  async state(userId: string, projectId: string, options: StateOptions = {}): Promise<PeerStateAnswer> {
    const project = await this.assertOwner(userId, projectId);
    const waitMs = Math.max(0, Math.min(PEER_STATE_MAX_WAIT_MS, options.waitMs ?? 0));
    const deadline = Date.now() + waitMs;
    // Listening before the first read: a change while it runs wakes the wait at once.
    const watcher = options.known !== undefined && waitMs > 0 ? this.deps.changes.watch(projectId) : undefined;
    try {
      for (;;) {
        const answer = await this.deps.lock.run(projectId, async () => {
          await this.deps.applier.finishPending(projectId);
          const current = await this.deps.state.current(userId, project);
          if (options.known !== undefined && current.stateId === options.known)
            return { unchanged: true as const, stateId: current.stateId };
          return {
            project: { id: project.id, name: project.name, template: project.template },
            stateId: current.stateId,
            files: [...(await current.files())],
            conversations: current.conversations,
          } satisfies PeerStateDto;
        });
        const remaining = deadline - Date.now();
        if (!('unchanged' in answer) || !watcher || remaining <= 0 || options.signal?.aborted) return answer;
        await watcher.next(remaining, options.signal);
        // Shutting down: the last answer stands (the database may be closing).
        if (this.deps.changes.closed) return answer;
      }
    } finally {
      watcher?.dispose();
    }
  }

  async missing(userId: string, projectId: string, hashes: readonly string[]): Promise<string[]> {
    await this.assertOwner(userId, projectId);
    return this.deps.scope.missing(userId, hashes);
  }

  /**
   * Stores the blobs, each checked against its hash (unless the framing already did) and its
   * size, then grants them to the user — only once all arrived: a refused upload grants nothing
   * (what it stored stays unreferenced until blob collection).
   */
  async putBlobs(
    userId: string,
    projectId: string,
    blobs: AsyncIterable<BlobContent>,
    options: { verified?: boolean; onBytes?: (bytes: number) => void } = {},
  ): Promise<{ stored: number; bytes: number }> {
    await this.assertOwner(userId, projectId);
    const writer = this.deps.newBlobWriter();
    const hashes: string[] = [];
    let bytes = 0;
    for await (const blob of blobs) {
      if (blob.content.length > this.deps.maxBlobBytes)
        throw new DomainError(
          'too_large',
          'blob_too_large',
          `Blob ${blob.sha256} is ${blob.content.length} bytes, over this server's ${this.deps.maxBlobBytes}`,
        );
      if (!options.verified && sha256Hex(blob.content) !== blob.sha256)
        throw new DomainError('bad_request', 'bad_blob_frames', `Blob ${blob.sha256} does not match its content`);
      await writer.add(blob.content, undefined, blob.sha256);
      hashes.push(blob.sha256);
      bytes += blob.content.length;
      options.onBytes?.(blob.content.length);
    }
    await writer.finish();
    await this.deps.scope.grant(userId, hashes);
    return { stored: hashes.length, bytes };
  }

  /**
   * The blobs, read in batches of a few MB; every hash must be in a snapshot of one of the
   * user's projects (else 404 naming it, before anything is sent).
   */
  async readBlobs(userId: string, projectId: string, hashes: readonly string[]): Promise<AsyncIterable<BlobContent>> {
    await this.assertOwner(userId, projectId);
    const wanted = [...new Set(hashes)];
    const sizes = await this.deps.scope.readable(userId, wanted);
    const unknown = wanted.find((hash) => !sizes.has(hash));
    if (unknown)
      throw new DomainError('not_found', 'blob_not_found', `Blob ${unknown} is not in any of this account's snapshots`);
    return this.readInBatches(wanted, sizes);
  }

  /** Of these paths (absent from the state), those that stand in the volume all the same. */
  async present(userId: string, projectId: string, paths: readonly string[]): Promise<string[]> {
    await this.assertOwner(userId, projectId);
    return this.deps.lock.run(projectId, () => this.deps.disk.present(projectId, paths));
  }

  async conversations(userId: string, projectId: string, ids: readonly string[]): Promise<PeerConversation[]> {
    await this.assertOwner(userId, projectId);
    return this.deps.conversations.exportWithIds(userId, projectId, [...new Set(ids)]);
  }

  async apply(userId: string, projectId: string, input: PeerApplyRequest): Promise<PeerApplyResultDto> {
    const project = await this.assertOwner(userId, projectId);
    const result = await this.deps.lock.run(projectId, () => this.deps.applier.apply(userId, project, input));
    this.deps.changes.changed(projectId);
    return result;
  }

  /** Finishes one project's interrupted apply, if any (start-up). */
  finishPending(projectId: string): Promise<boolean> {
    return this.deps.lock.run(projectId, () => this.deps.applier.finishPending(projectId));
  }

  private async *readInBatches(hashes: string[], sizes: Map<string, number>): AsyncGenerator<BlobContent> {
    let batch: string[] = [];
    let batchBytes = 0;
    const flush = async function* (store: PeerBlobStore, names: string[]): AsyncGenerator<BlobContent> {
      const found = await store.readBlobs(names);
      for (const sha256 of names) {
        const content = found.get(sha256);
        if (!content) throw new Error(`Blob ${sha256} went away while it was being sent`);
        yield { sha256, content };
      }
    };
    for (const hash of hashes) {
      batch.push(hash);
      batchBytes += sizes.get(hash) ?? 0;
      if (batchBytes >= READ_BATCH_BYTES || batch.length >= READ_BATCH_COUNT) {
        yield* flush(this.deps.store, batch);
        batch = [];
        batchBytes = 0;
      }
    }
    if (batch.length > 0) yield* flush(this.deps.store, batch);
  }
}
