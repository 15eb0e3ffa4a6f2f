// The Socket.IO wire contract: event names (domain:verb), payload schemas and ack shapes.
// Shared by the server (which parses every inbound payload) and the browser client.
import { z } from 'zod';
import type { ProjectDto } from './projects';
import type { FileChange, FileEntry, FileLockDto, ReadResult } from './files';
import type { TerminalAttachDto, TerminalDto } from './terminal';
import type { WorkspaceStatusDto } from './workspace';
import type { SnapshotStatusDto } from './snapshots';

export const projectOpenSchema = z.object({ projectId: z.string().min(1).max(64) });

export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
type Call<P, R> = (payload: P, ack: (result: Ack<R>) => void) => void;

export interface ClientToServerEvents {
  /** Opens the project: joins its room and starts its workspace if needed. */
  'project:open': Call<z.infer<typeof projectOpenSchema>, ProjectDto>;
  /** Joins the project's status room, counts as an open tab, starts a stopped workspace. */
  'workspace:open': Call<{ projectId: string }, WorkspaceStatusDto>;
  'workspace:start': Call<{ projectId: string }, WorkspaceStatusDto>;
  'workspace:stop': Call<{ projectId: string }, WorkspaceStatusDto>;
  'terminal:list': Call<{ projectId: string }, TerminalDto[]>;
  'terminal:create': Call<{ projectId: string; cols: number; rows: number; title?: string }, TerminalAttachDto>;
  'terminal:attach': Call<{ terminalId: string }, TerminalAttachDto>;
  'terminal:detach': Call<{ terminalId: string }, null>;
  'terminal:input': Call<{ terminalId: string; data: string }, null>;
  'terminal:resize': Call<{ terminalId: string; cols: number; rows: number }, null>;
  'terminal:rename': Call<{ terminalId: string; title: string }, TerminalDto>;
  'terminal:restart': Call<{ terminalId: string; cols: number; rows: number }, TerminalAttachDto>;
  'terminal:close': Call<{ terminalId: string }, null>;
  'fs:list': Call<{ projectId: string; path: string }, FileEntry[]>;
  'fs:read': Call<{ projectId: string; path: string }, ReadResult>;
  /** Error code 'conflict' when baseVersion is stale, 'locked' when someone holds a lock. */
  'fs:write': Call<
    { projectId: string; path: string; content: string; baseVersion: string | null },
    { version: string; size: number }
  >;
  'fs:create': Call<{ projectId: string; path: string; kind: 'file' | 'dir' }, FileEntry>;
  'fs:move': Call<{ projectId: string; from: string; to: string }, FileEntry>;
  'fs:delete': Call<{ projectId: string; path: string }, null>;
  'fs:lock': Call<{ projectId: string; path: string; ttlSeconds: number }, FileLockDto>;
  'fs:unlock': Call<{ projectId: string; path: string }, null>;
  /** Start watching a heavy folder the tree opened. */
  'fs:watch': Call<{ projectId: string; path: string }, null>;
  'fs:locks': Call<{ projectId: string }, FileLockDto[]>;
}

export interface ServerToClientEvents {
  'project:updated': (project: ProjectDto) => void;
  'project:deleted': (payload: { projectId: string }) => void;
  'workspace:status': (status: WorkspaceStatusDto) => void;
  /** Output batches; the client acks each so the server can apply backpressure. */
  'terminal:output': (payload: { terminalId: string; data: string }, ack: () => void) => void;
  'terminal:updated': (terminal: TerminalDto) => void;
  'terminal:closed': (payload: { terminalId: string }) => void;
  'fs:changed': (payload: { projectId: string; changes: FileChange[] }) => void;
  'fs:locks': (payload: { projectId: string; locks: FileLockDto[] }) => void;
  /** Automatic snapshots of the project: saving, failed (with the next try), or idle. */
  'snapshot:status': (status: SnapshotStatusDto) => void;
  /** A port of the project's workspace opened or closed: fetch GET …/previews again. */
  'preview:changed': (payload: { projectId: string }) => void;
  /** This browser stopped acking output and was detached; attach again to catch up. */
  'terminal:detached': (payload: { terminalId: string }) => void;
  /** The session or access token this socket was opened with has ended; it is disconnected next. */
  'session:ended': (payload: { reason: string }) => void;
}
