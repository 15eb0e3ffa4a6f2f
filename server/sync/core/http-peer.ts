// A remote Berth's project as a SyncPeer: the peer protocol over HTTP with a bearer token
// (docs/adr-hybrid-sync.md). Used by a Berth for its link's remote and by the CLI. Every answer
// is parsed with the contract's schemas and bounded; blobs arrive framed and hash-checked, and
// only the ones asked for are accepted. Pure Node: the CLI bundles this file.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import {
  peerMissingResultSchema,
  peerPresentResultSchema,
  peerStateSchema,
  peerStateUnchangedSchema,
  type PeerApplyChanges,
  type PeerApplyInput,
  type PeerApplyRequest,
  type PeerApplyResultDto,
  type PeerConversation,
  type SyncManifestEntry,
} from '../../contracts/sync';
import { BLOB_FRAMES_CONTENT_TYPE, BlobFrameError, decodeBlobFrames, encodeBlobFrames } from './blob-frames';
import {
  peerApplyResultSchema,
  peerConversationsResultSchema,
  peerPath,
  peerUploadResultSchema,
  PEER_PATHS,
  PEER_STATE_MAX_WAIT_MS,
} from './peer-wire';
import type { RemoteFetch } from './node-fetch';
import { PeerHttpError, RemoteApi, REMOTE_IDLE_MS } from './remote-api';
import type { BlobContent, PeerStateAnswer, SyncPeer } from './sync-peer';

export interface HttpPeerOptions {
  /** The remote Berth, e.g. https://team.example.com (a trailing slash is fine). */
  baseUrl: string;
  /** A personal access token made on that Berth. */
  token: string;
  projectId: string;
  /** How this side is named in labels and messages. */
  name: string;
  /**
   * Largest blob accepted from the remote (default 1 GiB). A Berth passes its own file cap
   * (SNAPSHOT_MAX_FILE_MB). Blobs of the state last read are held to the sizes it gave besides.
   */
  maxBlobBytes?: number;
  /** Content bytes per upload request before the next request starts (default 128 MB). */
  uploadBatchBytes?: number;
  /** The fetch to reach it with (default: node:http, see node-fetch.ts). */
  fetch?: RemoteFetch;
  /** A call that sees no bytes either way for this long is given up (default REMOTE_IDLE_MS). */
  idleMs?: number;
}

/** Hashes per blobs/missing and blobs/read request: keeps every request body small. */
const HASHES_PER_REQUEST = 20_000;
/** Paths per present request (each up to 1 KB: a request stays within a few MB). */
const PATHS_PER_REQUEST = 5_000;
/** Conversations per request: each may be large, and an answer is read within 64 MB. */
const CONVERSATIONS_PER_REQUEST = 50;
const FRAME_HEADER_BYTES = 68;
const stateAnswerSchema = z.union([peerStateUnchangedSchema, peerStateSchema]);
/**
 * An apply answers only once it is done: a snapshot first, then every write — minutes for a
 * large project, with no byte meanwhile. Still bounded: a remote that never answers ends.
 */
const APPLY_IDLE_MS = 15 * 60_000;

export class HttpPeer implements SyncPeer {
  readonly name: string;
  readonly conversationsSupported = true;
  private readonly api: RemoteApi;
  private readonly maxBlobBytes: number;
  private readonly uploadBatchBytes: number;
  private readonly idleMs: number;
  /** The files of the last state read (or applied): an apply against it sends only the difference. */
  private known: { stateId: string; files: Map<string, SyncManifestEntry> } | undefined;
  /** The remote has no present route (an older Berth). */
  private presentUnsupported = false;
  /** Content sizes by hash in that state: a blob read must be exactly that long. */
  private knownSizes: Map<string, number> | undefined;

  constructor(private readonly options: HttpPeerOptions) {
    this.name = options.name;
    this.idleMs = options.idleMs ?? REMOTE_IDLE_MS;
    this.api = new RemoteApi(options.baseUrl, options.token, options.fetch, this.idleMs);
    this.maxBlobBytes = options.maxBlobBytes ?? 1024 * 1024 * 1024;
    this.uploadBatchBytes = options.uploadBatchBytes ?? 128 * 1024 * 1024;
  }

  async state(options: { known?: string; waitMs?: number; signal?: AbortSignal } = {}): Promise<PeerStateAnswer> {
    const query = new URLSearchParams();
    if (options.known !== undefined) query.set('known', options.known);
    const waitMs =
      options.waitMs === undefined ? 0 : Math.max(0, Math.min(PEER_STATE_MAX_WAIT_MS, Math.round(options.waitMs)));
    if (options.waitMs !== undefined) query.set('waitMs', String(waitMs));
    const suffix = query.size > 0 ? `?${query.toString()}` : '';
    const answer = await this.api.json(
      {
        method: 'GET',
        path: `${this.path(PEER_PATHS.state)}${suffix}`,
        signal: options.signal,
        // A long poll is silent for its wait: the idle bound starts after it.
        idleMs: waitMs + this.idleMs,
      },
      stateAnswerSchema,
    );
    if (!('unchanged' in answer)) this.remember(answer.stateId, answer.files);
    return answer;
  }

  async missing(hashes: string[]): Promise<string[]> {
    const missing: string[] = [];
    for (let start = 0; start < hashes.length; start += HASHES_PER_REQUEST) {
      const asked = hashes.slice(start, start + HASHES_PER_REQUEST);
      const answer = await this.api.json(
        { method: 'POST', path: this.path(PEER_PATHS.missing), json: { hashes: asked } },
        peerMissingResultSchema,
      );
      const askedSet = new Set(asked);
      for (const hash of answer.missing) {
        if (!askedSet.has(hash)) throw new Error(`${this.name} reported a blob missing that was not asked about`);
        missing.push(hash);
      }
    }
    return missing;
  }

  async putBlobs(
    blobs: AsyncIterable<BlobContent>,
    onBytes?: (bytes: number) => void,
  ): Promise<{ stored: number; bytes: number }> {
    const iterator = blobs[Symbol.asyncIterator]();
    let stored = 0;
    let bytes = 0;
    try {
      let next = await iterator.next();
      const batchLimit = this.uploadBatchBytes;
      while (!next.done) {
        // One request per batch: the first blob always goes, then blobs while they fit.
        async function* batch(): AsyncGenerator<BlobContent> {
          let size = 0;
          while (!next.done && (size === 0 || size + next.value.content.length <= batchLimit)) {
            const blob = next.value;
            size += blob.content.length;
            yield blob;
            onBytes?.(blob.content.length);
            next = await iterator.next();
          }
        }
        const body = Readable.toWeb(encodeBlobFrames(batch())) as unknown as ReadableStream<Uint8Array>;
        const result = await this.api.json(
          { method: 'POST', path: this.path(PEER_PATHS.upload), body, contentType: BLOB_FRAMES_CONTENT_TYPE },
          peerUploadResultSchema,
        );
        stored += result.stored;
        bytes += result.bytes;
      }
    } finally {
      await iterator.return?.();
    }
    return { stored, bytes };
  }

  async *readBlobs(hashes: string[], onBytes?: (bytes: number) => void): AsyncGenerator<BlobContent> {
    const unique = [...new Set(hashes)];
    for (let start = 0; start < unique.length; start += HASHES_PER_REQUEST) {
      const asked = unique.slice(start, start + HASHES_PER_REQUEST);
      const response = await this.api.send({
        method: 'POST',
        path: this.path(PEER_PATHS.read),
        json: { hashes: asked },
      });
      if (!response.body) throw new Error(`${this.name} sent no blobs`);
      const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      const expected = new Set(asked);
      const limits = this.readLimits(asked);
      try {
        for await (const blob of decodeFramesWithin(body, limits, this.name)) {
          if (!expected.delete(blob.sha256))
            throw new Error(`${this.name} sent blob ${blob.sha256}, which was not asked for (or twice)`);
          const size = this.knownSizes?.get(blob.sha256);
          if (size !== undefined && size !== blob.content.length)
            throw new Error(
              `${this.name} sent ${blob.content.length} bytes for blob ${blob.sha256}, which does not match the size its state gave (${size})`,
            );
          onBytes?.(blob.content.length);
          yield blob;
        }
      } finally {
        body.destroy();
      }
      if (expected.size > 0)
        throw new Error(`${this.name} did not send ${expected.size} blob(s), e.g. ${[...expected][0]}`);
    }
  }

  /**
   * Frame bounds for one read: blobs of the state last read are known by size, so no frame may
   * be longer than the largest of them and the body no longer than their sum — an over-long
   * frame is refused from its header, before it is buffered. Unknown hashes get maxBlobBytes.
   */
  private readLimits(hashes: readonly string[]): ReadLimits {
    let largest = 0;
    let total = 0;
    let bySize = false;
    for (const hash of hashes) {
      const known = this.knownSizes?.get(hash);
      if (known !== undefined && known < this.maxBlobBytes) bySize = true;
      const size = Math.min(known ?? this.maxBlobBytes, this.maxBlobBytes);
      largest = Math.max(largest, size);
      total += size + FRAME_HEADER_BYTES;
    }
    return { maxBlobBytes: largest, maxTotalBytes: total, bySize };
  }

  /**
   * POST …/present: which of these paths (absent from its state) the remote holds on disk all the
   * same. A Berth from before that route answers 404: it is then asked nothing, as before.
   */
  async present(paths: string[]): Promise<string[]> {
    const present: string[] = [];
    for (let start = 0; start < paths.length && !this.presentUnsupported; start += PATHS_PER_REQUEST) {
      const asked = new Set(paths.slice(start, start + PATHS_PER_REQUEST));
      let answer: { present: string[] };
      try {
        answer = await this.api.json(
          { method: 'POST', path: this.path(PEER_PATHS.present), json: { paths: [...asked] } },
          peerPresentResultSchema,
        );
      } catch (error) {
        if (!(error instanceof PeerHttpError && (error.status === 404 || error.status === 405))) throw error;
        this.presentUnsupported = true;
        return [];
      }
      for (const path of answer.present) {
        if (!asked.delete(path)) throw new Error(`${this.name} named a path present that was not asked about`);
        present.push(path);
      }
    }
    return present;
  }

  async conversations(ids: string[]): Promise<PeerConversation[]> {
    const found: PeerConversation[] = [];
    for (let start = 0; start < ids.length; start += CONVERSATIONS_PER_REQUEST) {
      const asked = new Set(ids.slice(start, start + CONVERSATIONS_PER_REQUEST));
      const answer = await this.api.json(
        { method: 'POST', path: this.path(PEER_PATHS.conversations), json: { ids: [...asked] } },
        peerConversationsResultSchema,
      );
      for (const conversation of answer.conversations) {
        if (!asked.delete(conversation.id))
          throw new Error(`${this.name} sent conversation ${conversation.id}, which was not asked for (or twice)`);
        found.push(conversation);
      }
    }
    return found;
  }

  /**
   * Sends only the difference from the files of `expectedStateId` when this peer read them (the
   * remote builds the same target from its own copy), else the whole target.
   */
  async apply(input: PeerApplyInput): Promise<PeerApplyResultDto> {
    const { files, ...rest } = input;
    const known = this.known?.stateId === input.expectedStateId ? this.known.files : undefined;
    const body: PeerApplyRequest = known ? { ...rest, changes: changesFrom(known, files) } : input;
    const result = await this.api.json(
      { method: 'POST', path: this.path(PEER_PATHS.apply), json: body, idleMs: Math.max(APPLY_IDLE_MS, this.idleMs) },
      peerApplyResultSchema,
    );
    // The state it reports now holds exactly these files.
    this.remember(result.stateId, files);
    return result;
  }

  private remember(stateId: string, files: readonly SyncManifestEntry[]): void {
    this.known = { stateId, files: new Map(files.map((entry) => [entry.path, entry])) };
    this.knownSizes = new Map(files.map((entry) => [entry.sha256, entry.size]));
  }

  private path(which: (typeof PEER_PATHS)[keyof typeof PEER_PATHS]): string {
    return peerPath(this.options.projectId, which);
  }
}

interface ReadLimits {
  maxBlobBytes: number;
  maxTotalBytes: number;
  /** Whether the sizes a state gave set them (else maxBlobBytes alone). */
  bySize: boolean;
}

/** decodeBlobFrames, with an over-size refusal named for what it is when the state's sizes set the bound. */
async function* decodeFramesWithin(body: Readable, limits: ReadLimits, name: string): AsyncGenerator<BlobContent> {
  try {
    yield* decodeBlobFrames(body, limits);
  } catch (error) {
    if (limits.bySize && error instanceof BlobFrameError && error.fault === 'too_large')
      throw new Error(`${name} sent more than its state gave: the blobs do not match their sizes (${error.message})`, {
        cause: error,
      });
    throw error;
  }
}

/** What turns `before` into `after`: entries new or different (content, mode or size) and paths gone. */
export function changesFrom(
  before: ReadonlyMap<string, SyncManifestEntry>,
  after: readonly SyncManifestEntry[],
): PeerApplyChanges {
  const put: SyncManifestEntry[] = [];
  const kept = new Set<string>();
  for (const entry of after) {
    kept.add(entry.path);
    const old = before.get(entry.path);
    if (!old || old.sha256 !== entry.sha256 || old.mode !== entry.mode || old.size !== entry.size) put.push(entry);
  }
  const gone: string[] = [];
  for (const path of before.keys()) if (!kept.has(path)) gone.push(path);
  return { put, delete: gone };
}
