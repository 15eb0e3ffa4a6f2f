// The Socket.IO wire contract: event names (domain:verb), payload schemas and ack shapes.
// Shared by the server (which parses every inbound payload) and the browser client.
import { z } from 'zod';
import type { ProjectDto } from './projects';
import type { TerminalAttachDto, TerminalDto } from './terminal';
import type { WorkspaceStatusDto } from './workspace';

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
}

export interface ServerToClientEvents {
  'project:updated': (project: ProjectDto) => void;
  'project:deleted': (payload: { projectId: string }) => void;
  'workspace:status': (status: WorkspaceStatusDto) => void;
  /** Output batches; the client acks each so the server can apply backpressure. */
  'terminal:output': (payload: { terminalId: string; data: string }, ack: () => void) => void;
  'terminal:updated': (terminal: TerminalDto) => void;
  'terminal:closed': (payload: { terminalId: string }) => void;
  /** This browser stopped acking output and was detached; attach again to catch up. */
  'terminal:detached': (payload: { terminalId: string }) => void;
}
