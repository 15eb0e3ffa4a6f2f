// Test-only: a Socket.IO server on loopback that answers the workbench's file events from an
// in-memory disk, the way Berth's files.socket.ts does on the wire (acks, versions, conflicts,
// 'fs:changed' pushes). The stores' unit tests talk to it through a real socket.io-client
// socket, so what they exercise is the stores' real calls, not a stand-in of `call`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { io } from 'socket.io-client';
import type { Ack, FileChange, FileEntry, FileLockDto, ReadResult } from '@/server/contracts';
import type { WorkbenchSocket } from '../workbench-socket';

interface DiskFile {
  content: string;
  version: number;
}

type Answer<T> = (result: Ack<T>) => void;

/** An error answer, as the server's handlers give ({ ok: false, error: { code, message } }). */
class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class ScriptedFileServer {
  /** Files by path ('' is the root; folders exist where files or `folders` say). */
  readonly files = new Map<string, DiskFile>();
  readonly folders = new Set<string>();
  readonly heavy = new Set<string>();
  locks: FileLockDto[] = [];
  /** Every event received, in order: [name, path]. */
  readonly calls: [string, string][] = [];
  /** Paths whose listing or read fails (code 'io_error'). */
  readonly failing = new Set<string>();
  private readonly held = new Map<string, { entered: () => void; released: Promise<void> }>();
  private nextVersion = 1;
  private readonly sockets: WorkbenchSocket[] = [];

  private constructor(
    private readonly io: Server,
    readonly url: string,
    readonly projectId: string,
  ) {
    io.on('connection', (socket) => this.serve(socket));
  }

  static async start(projectId = 'p1'): Promise<ScriptedFileServer> {
    const http = createServer();
    const server = new Server(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    return new ScriptedFileServer(server, `http://127.0.0.1:${port}`, projectId);
  }

  /** A connected client socket, as the workbench's. */
  async connect(): Promise<WorkbenchSocket> {
    const socket: WorkbenchSocket = io(this.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    this.sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return socket;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.close();
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
  }

  /** Puts a file on the disk (a new version) without telling anyone. */
  put(path: string, content: string): string {
    const version = this.nextVersion++;
    this.files.set(path, { content, version });
    return String(version);
  }

  /** Pushes 'fs:changed' to every client, as the agent's watcher does. */
  announce(changes: FileChange[]): void {
    this.io.emit('fs:changed', { projectId: this.projectId, changes });
  }

  /** The next answer to `event` waits until released; `entered` resolves when that request arrives. */
  hold(event: string): { entered: Promise<void>; release: () => void } {
    let release!: () => void;
    let entered!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const arrived = new Promise<void>((resolve) => (entered = resolve));
    this.held.set(event, { entered, released });
    return { entered: arrived, release };
  }

  count(event: string, path?: string): number {
    return this.calls.filter(([name, at]) => name === event && (path === undefined || at === path)).length;
  }

  private async gate(event: string): Promise<void> {
    const held = this.held.get(event);
    if (!held) return;
    this.held.delete(event);
    held.entered();
    await held.released;
  }

  private serve(socket: Socket): void {
    const on = <T>(event: string, answer: (payload: { path: string } & Record<string, unknown>) => T) =>
      socket.on(event, async (payload: { path: string } & Record<string, unknown>, ack: Answer<T>) => {
        this.calls.push([event, payload.path ?? '']);
        await this.gate(event);
        try {
          ack({ ok: true, data: answer(payload) });
        } catch (error) {
          const { code, message } = error as Refusal;
          ack({ ok: false, error: { code, message } });
        }
      });
    on('fs:list', ({ path }) => this.list(path));
    on('fs:watch', () => null);
    on('fs:locks', () => this.locks);
    on('fs:read', ({ path }): ReadResult => {
      const file = this.file(path);
      return {
        path,
        version: String(file.version),
        size: file.content.length,
        content: file.content,
        binary: false,
        readOnly: false,
      };
    });
    on('fs:write', ({ path, content, baseVersion }) => {
      const current = this.files.get(path);
      if ((current ? String(current.version) : null) !== baseVersion)
        throw new Refusal('conflict', 'The file changed since it was read');
      const version = this.put(path, content as string);
      return { version, size: (content as string).length };
    });
  }

  private file(path: string): DiskFile {
    if (this.failing.has(path)) throw new Refusal('io_error', `cannot read ${path}`);
    const file = this.files.get(path);
    if (!file) throw new Refusal('not_found', `${path} does not exist`);
    return file;
  }

  private list(dir: string): FileEntry[] {
    if (this.failing.has(dir)) throw new Refusal('io_error', `cannot list ${dir}`);
    const prefix = dir === '' ? '' : `${dir}/`;
    const children = new Map<string, FileEntry>();
    for (const path of [...this.folders, ...this.files.keys()]) {
      if (!path.startsWith(prefix) || path === dir) continue;
      const [name, ...rest] = path.slice(prefix.length).split('/');
      const childPath = `${prefix}${name}`;
      const isDir = rest.length > 0 || this.folders.has(childPath);
      const file = this.files.get(childPath);
      children.set(childPath, {
        name: name!,
        path: childPath,
        kind: isDir ? 'dir' : 'file',
        size: file?.content.length ?? 0,
        mtimeMs: 0,
        ...(file && !isDir ? { version: String(file.version) } : {}),
        ...(this.heavy.has(childPath) ? { heavy: true } : {}),
      });
    }
    return [...children.values()];
  }
}

/** Resolves once the store's state satisfies `holds` (checked now and on every change). */
export function untilState<S>(
  store: { getState(): S; subscribe(listener: () => void): () => void },
  holds: (state: S) => boolean,
  timeoutMs = 5000,
): Promise<S> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!holds(store.getState())) return false;
      off();
      clearTimeout(timer);
      resolve(store.getState());
      return true;
    };
    const timer = setTimeout(() => {
      off();
      reject(new Error(`state never matched; last: ${JSON.stringify(store.getState()).slice(0, 500)}`));
    }, timeoutMs);
    const off = store.subscribe(() => void check());
    check();
  });
}
