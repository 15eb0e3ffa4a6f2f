// A SyncPeer held in memory, for the planner's and runSync's unit tests: files, blobs and
// conversations in maps, a state id that changes with every change, applies checked against
// expectedStateId and against blobs it holds, and hooks to fail an apply or change the project
// between a state read and an apply. The real peers (LocalPeer, HttpPeer, the CLI's FolderPeer)
// have integration tests of their own.
import { createHash } from 'node:crypto';
import type {
  PeerApplyInput,
  PeerApplyResultDto,
  PeerConversation,
  PeerStateDto,
  SyncManifestEntry,
} from '../../contracts/sync';
import type { PortableConversation } from '../../contracts/assistant-export';
import { ChangedMeanwhileError, type BlobContent, type PeerStateAnswer, type SyncPeer } from './sync-peer';

export const FILE_MODE = 0o100644;
export const EXEC_MODE = 0o100755;
export const LINK_MODE = 0o120777;

export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

export function conversation(title: string, ...messages: string[]): PortableConversation {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    title,
    createdAt: at,
    updatedAt: at,
    turns: [],
    messages: messages.map((content, seq) => ({
      seq,
      role: 'user',
      content,
      toolCalls: [],
      toolResults: [],
      turnId: null,
      createdAt: at,
    })),
  };
}

interface HeldFile {
  mode: number;
  sha256: string;
}

export class MemoryPeer implements SyncPeer {
  readonly files = new Map<string, HeldFile>();
  readonly blobs = new Map<string, Buffer>();
  readonly conversationsById = new Map<string, PortableConversation>();
  readonly applies: PeerApplyInput[] = [];
  /** Called at the start of each apply (after it was counted): throw to fail it, or change the project. */
  beforeApply?: (input: PeerApplyInput, peer: MemoryPeer) => void;
  /** Paths on its "disk" that its state leaves out (ignored, too large): what present() answers. */
  readonly unlisted = new Set<string>();
  /** Every present() call's paths, in order. */
  readonly presentAsked: string[][] = [];
  /** Extra entries the next state answer adds to the manifest (a hostile remote). */
  extraEntries: SyncManifestEntry[] = [];
  blobsPut = 0;
  blobsRead = 0;
  /** The `known` of every state() call, in order (undefined: a plain state request). */
  readonly statesAsked: (string | undefined)[] = [];
  /** missing() and conversations() calls. */
  missingCalls = 0;
  conversationCalls = 0;
  private version = 0;
  private snapshots = 0;

  constructor(
    readonly name: string,
    readonly conversationsSupported = true,
  ) {}

  get stateId(): string {
    return `${this.name}-state-${this.version}`;
  }

  write(path: string, content: string | Buffer, mode = FILE_MODE): this {
    const bytes = Buffer.from(content);
    const hash = sha256(bytes);
    this.blobs.set(hash, bytes);
    this.files.set(path, { mode, sha256: hash });
    this.version++;
    return this;
  }

  remove(path: string): this {
    this.files.delete(path);
    this.version++;
    return this;
  }

  read(path: string): string | undefined {
    const file = this.files.get(path);
    return file && this.blobs.get(file.sha256)!.toString('utf8');
  }

  putConversation(id: string, value: PortableConversation): this {
    this.conversationsById.set(id, value);
    this.version++;
    return this;
  }

  manifest(): SyncManifestEntry[] {
    return [...this.files]
      .map(([path, file]) => ({
        path,
        mode: file.mode,
        size: this.blobs.get(file.sha256)!.length,
        sha256: file.sha256,
      }))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  /** path → content, for comparing two sides. */
  contents(): Record<string, string> {
    return Object.fromEntries([...this.files.keys()].sort().map((path) => [path, this.read(path)!]));
  }

  state(options: { known?: string } = {}): Promise<PeerStateAnswer> {
    this.statesAsked.push(options.known);
    if (options.known !== undefined && options.known === this.stateId)
      return Promise.resolve({ unchanged: true, stateId: this.stateId });
    const state: PeerStateDto = {
      project: { id: `${this.name}-project`, name: 'app', template: 'blank-node' },
      stateId: this.stateId,
      files: [...this.manifest(), ...this.extraEntries],
      conversations: [...this.conversationsById].map(([id, value]) => ({
        id,
        title: value.title,
        version: sha256(JSON.stringify(value)),
      })),
    };
    return Promise.resolve(state);
  }

  missing(hashes: string[]): Promise<string[]> {
    this.missingCalls++;
    return Promise.resolve(hashes.filter((hash) => !this.blobs.has(hash)));
  }

  async putBlobs(blobs: AsyncIterable<BlobContent>): Promise<{ stored: number; bytes: number }> {
    let stored = 0;
    let bytes = 0;
    for await (const blob of blobs) {
      if (sha256(blob.content) !== blob.sha256) throw new Error(`blob ${blob.sha256} does not match its hash`);
      this.blobs.set(blob.sha256, blob.content);
      stored++;
      bytes += blob.content.length;
    }
    this.blobsPut += stored;
    return { stored, bytes };
  }

  async *readBlobs(hashes: string[]): AsyncIterable<BlobContent> {
    for (const hash of hashes) {
      const content = this.blobs.get(hash);
      if (!content) throw new Error(`${this.name} has no blob ${hash}`);
      this.blobsRead++;
      await Promise.resolve();
      yield { sha256: hash, content };
    }
  }

  present(paths: string[]): Promise<string[]> {
    this.presentAsked.push([...paths]);
    return Promise.resolve(paths.filter((path) => this.unlisted.has(path) && !this.files.has(path)));
  }

  conversations(ids: string[]): Promise<PeerConversation[]> {
    this.conversationCalls++;
    return Promise.resolve(
      ids.flatMap((id) => {
        const value = this.conversationsById.get(id);
        return value ? [{ id, conversation: structuredClone(value) }] : [];
      }),
    );
  }

  apply(input: PeerApplyInput): Promise<PeerApplyResultDto> {
    this.applies.push(input);
    this.beforeApply?.(input, this);
    if (input.expectedStateId !== this.stateId) return Promise.reject(new ChangedMeanwhileError());
    const lacking = input.files.find((entry) => !this.blobs.has(entry.sha256));
    if (lacking) return Promise.reject(new Error(`${this.name} lacks the content of ${lacking.path}`));
    const before = this.manifest();
    const next = new Map(input.files.map((entry) => [entry.path, { mode: entry.mode, sha256: entry.sha256 }]));
    const written = input.files.filter((entry) => {
      const old = this.files.get(entry.path);
      return !old || old.sha256 !== entry.sha256 || old.mode !== entry.mode;
    }).length;
    const deleted = before.filter((entry) => !next.has(entry.path)).length;
    this.files.clear();
    for (const [path, file] of next) this.files.set(path, file);
    for (const put of input.conversations?.put ?? []) this.conversationsById.set(put.id, put.conversation);
    for (const id of input.conversations?.delete ?? []) this.conversationsById.delete(id);
    this.version++;
    this.snapshots++;
    return Promise.resolve({
      stateId: this.stateId,
      beforeSnapshotId: `${this.name}-before-${this.snapshots}`,
      written,
      deleted,
    });
  }
}
