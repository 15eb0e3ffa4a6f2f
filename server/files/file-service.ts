// File operations on a project's workspace, shared by the REST routes and the socket events.
// Every call checks ownership (404 for a project that is not yours), refuses paths under
// someone else's lock (423), makes sure the workspace runs, then asks its agent: listings
// and moves over the agent's RPC socket, content over its HTTP endpoint, streamed.
import type { Readable } from 'node:stream';
import type { AgentMethods, FileEntry, ReadResult, WorkspaceStatusDto } from '../contracts';
import { DomainError } from '../core/errors';
import type { AgentEndpoint } from '../runtime';
import type { AgentContentClient, AgentFile } from './agent-content-client';
import { agentErrorKind, fromAgentError } from './agent-error-code';
import { decodeText, looksBinary, readUpTo } from './text-sniff';
import { normalizePath, type LockService } from './lock-service';

/** Up to this size a text file opens editable. */
export const EDITABLE_MAX_BYTES = 5 * 1024 * 1024;
/** Up to this size a text file's content is sent over the socket (read-only above EDITABLE_MAX_BYTES). */
export const INLINE_MAX_BYTES = 20 * 1024 * 1024;
const SNIFF_BYTES = 8 * 1024;

export interface AgentRpc {
  request<M extends keyof AgentMethods>(
    method: M,
    params?: AgentMethods[M]['params'],
  ): Promise<AgentMethods[M]['result']>;
}

/** What FileService needs of the workspace lifecycle (WorkspaceService fits). */
export interface FileWorkspaces {
  /** Starts the workspace if needed; throws the DomainError to refuse with when it cannot run. */
  ensureRunning(projectId: string): Promise<WorkspaceStatusDto>;
  agent(projectId: string): AgentRpc | undefined;
  agentEndpoint(projectId: string): AgentEndpoint | undefined;
  recordActivity(projectId: string): void;
}

export interface ProjectOwnership {
  /** Throws 404 when the project does not exist or is not the user's. */
  get(userId: string, projectId: string): Promise<unknown>;
}

/** Who is acting: the user, and the lock holder id they write as (a socket), if any. */
export interface Actor {
  userId: string;
  holderId?: string;
}

export interface WriteConditions {
  ifMatch?: string;
  ifNoneMatch?: boolean;
  /** Permission bits to give the file (default: the replaced file's, 0o644 for a new one). */
  mode?: number;
}

export class FileService {
  constructor(
    private readonly projects: ProjectOwnership,
    private readonly workspaces: FileWorkspaces,
    private readonly locks: LockService,
    private readonly content: AgentContentClient,
    private readonly options: { maxBytes: number },
  ) {}

  get maxBytes(): number {
    return this.options.maxBytes;
  }

  /** Ownership only (lock and watch events need no running workspace). */
  async authorize(actor: Actor, projectId: string): Promise<void> {
    await this.projects.get(actor.userId, projectId);
  }

  async list(actor: Actor, projectId: string, path: string): Promise<FileEntry[]> {
    const { rpc } = await this.open(actor, projectId);
    return rpcCall(() => rpc.request('fs.list', { path: normalizePath(path) }));
  }

  async stat(actor: Actor, projectId: string, path: string): Promise<FileEntry> {
    const { rpc } = await this.open(actor, projectId);
    return rpcCall(() => rpc.request('fs.stat', { path: normalizePath(path) }));
  }

  /** The raw content, streamed; the caller must consume or destroy the stream. */
  async openRead(actor: Actor, projectId: string, path: string): Promise<AgentFile> {
    const { endpoint } = await this.open(actor, projectId);
    return this.content.get(endpoint, normalizePath(path));
  }

  /** For the editor: text up to INLINE_MAX_BYTES (read-only above EDITABLE_MAX_BYTES), else content null. */
  async read(actor: Actor, projectId: string, path: string): Promise<ReadResult> {
    const file = await this.openRead(actor, projectId, path);
    const head = await readUpTo(
      file.stream,
      file.size !== undefined && file.size > INLINE_MAX_BYTES ? SNIFF_BYTES : INLINE_MAX_BYTES,
    );
    const size = head.complete ? head.bytes.length : (file.size ?? (await this.stat(actor, projectId, path)).size);
    const base = { path: normalizePath(path), version: file.version, size, readOnly: size > EDITABLE_MAX_BYTES };
    if (looksBinary(head.bytes.subarray(0, SNIFF_BYTES))) return { ...base, content: null, binary: true };
    if (!head.complete) return { ...base, content: null, binary: false };
    const text = decodeText(head.bytes);
    return text === null ? { ...base, content: null, binary: true } : { ...base, content: text, binary: false };
  }

  /** Streams `source` into the file (never buffered); 413 past FILE_MAX_MB, 412 when stale. */
  async write(
    actor: Actor,
    projectId: string,
    path: string,
    source: Readable | Buffer,
    conditions: WriteConditions,
  ): Promise<{ version: string; size: number }> {
    const target = normalizePath(path);
    await this.authorize(actor, projectId);
    this.locks.assertWritable(projectId, target, actor.holderId);
    const { endpoint } = await this.running(projectId);
    try {
      return await this.content.put(endpoint, target, source, { ...conditions, maxBytes: this.options.maxBytes });
    } catch (error) {
      throw describeConflict(error, conditions);
    }
  }

  /** The editor's save: utf8 text based on `baseVersion` (null = the file must not exist yet). */
  writeText(actor: Actor, projectId: string, path: string, content: string, baseVersion: string | null) {
    const conditions = baseVersion === null ? { ifNoneMatch: true } : { ifMatch: baseVersion };
    return this.write(actor, projectId, path, Buffer.from(content, 'utf8'), conditions);
  }

  /** A new empty file (refused when something exists there) or folder. */
  async create(actor: Actor, projectId: string, path: string, kind: 'file' | 'dir'): Promise<FileEntry> {
    const target = normalizePath(path);
    if (kind === 'dir') {
      const existing = await this.stat(actor, projectId, target).catch((error: unknown) => {
        if (error instanceof DomainError && error.kind === 'not_found') return null;
        throw error;
      });
      if (existing) throw new DomainError('conflict', 'exists', `${target} already exists`);
      return this.mkdir(actor, projectId, target);
    }
    try {
      await this.write(actor, projectId, target, Buffer.alloc(0), { ifNoneMatch: true });
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'precondition_failed')
        throw new DomainError('conflict', 'exists', `${target} already exists`);
      throw error;
    }
    return this.stat(actor, projectId, target);
  }

  /** Creates the folder and any missing parents. */
  async mkdir(actor: Actor, projectId: string, path: string): Promise<FileEntry> {
    const target = normalizePath(path);
    await this.authorize(actor, projectId);
    this.locks.assertWritable(projectId, target, actor.holderId);
    const { rpc } = await this.running(projectId);
    return rpcCall(() => rpc.request('fs.mkdir', { path: target }));
  }

  /** Refuses to overwrite (409 exists). Both ends must be free of other holders' locks. */
  async move(actor: Actor, projectId: string, from: string, to: string): Promise<FileEntry> {
    const source = normalizePath(from);
    const target = normalizePath(to);
    if (source === '' || target === '')
      throw new DomainError('bad_request', 'bad_path', 'The project root cannot be moved');
    await this.authorize(actor, projectId);
    this.locks.assertWritable(projectId, source, actor.holderId);
    this.locks.assertWritable(projectId, target, actor.holderId);
    const { rpc } = await this.running(projectId);
    return rpcCall(() => rpc.request('fs.move', { from: source, to: target }));
  }

  /** Files, or folders recursively. */
  async delete(actor: Actor, projectId: string, path: string): Promise<void> {
    const target = normalizePath(path);
    if (target === '') throw new DomainError('bad_request', 'bad_path', 'Refusing to delete the project root');
    await this.authorize(actor, projectId);
    this.locks.assertWritable(projectId, target, actor.holderId);
    const { rpc } = await this.running(projectId);
    await rpcCall(() => rpc.request('fs.delete', { path: target }));
  }

  /** Also watch a heavy folder (node_modules, .git) the tree opened. */
  async watch(actor: Actor, projectId: string, path: string): Promise<void> {
    const { rpc } = await this.open(actor, projectId);
    await rpcCall(() => rpc.request('fs.watch', { path: normalizePath(path) }));
  }

  dispose(): void {
    this.content.dispose();
  }

  private async open(actor: Actor, projectId: string) {
    await this.authorize(actor, projectId);
    return this.running(projectId);
  }

  /** Starts the workspace if needed; 503 when the engine is down, 500/409 with the workspace's own error. */
  private async running(projectId: string): Promise<{ rpc: AgentRpc; endpoint: AgentEndpoint }> {
    await this.workspaces.ensureRunning(projectId);
    const rpc = this.workspaces.agent(projectId);
    const endpoint = this.workspaces.agentEndpoint(projectId);
    if (!rpc || !endpoint)
      throw new DomainError('conflict', 'workspace_not_running', 'The workspace is restarting; try again');
    this.workspaces.recordActivity(projectId);
    return { rpc, endpoint };
  }
}

/** Agent RPC errors (code + message) become DomainErrors of the kind the agent contract gives the code. */
async function rpcCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const rawCode = (error as { code?: unknown }).code;
    const rawMessage = error instanceof Error ? error.message : String(error);
    if (typeof rawCode !== 'string') throw error;
    const { code, message } = fromAgentError(rawCode, rawMessage);
    if (code === 'agent_disconnected' || code === 'agent_timeout') throw new DomainError('unavailable', code, message);
    throw new DomainError(agentErrorKind(code) ?? 'internal', code, message);
  }
}

/** A stale write says which version is current now, so the editor can offer to merge or reload. */
function describeConflict(error: unknown, conditions: WriteConditions): unknown {
  if (!(error instanceof DomainError) || error.kind !== 'precondition_failed') return error;
  const current = typeof error.details?.currentVersion === 'string' ? error.details.currentVersion : undefined;
  const message = conditions.ifNoneMatch
    ? `The file already exists${current ? ` (current version ${current})` : ''}`
    : `The file changed since version ${conditions.ifMatch ?? '?'}; current version is ${current ?? 'unknown'}`;
  return new DomainError('precondition_failed', 'conflict', message, current ? { currentVersion: current } : undefined);
}
