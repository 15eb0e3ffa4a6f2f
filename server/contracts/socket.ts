// The Socket.IO wire contract, declared once: each client event's name, payload schema and
// result type in one table (`clientEvents`), each server push's payload in another. The
// Socket.IO event maps, the server's handler registration (`defineHandler` picks the schema by
// name) and the browser's typed `call` are all derived from these tables.
import type { z } from 'zod';
import type { AiPushOf, TurnUpdatedPushDto } from './assistant-turns';
import type { FileChange, FileEntry, FileLockDto, ReadResult } from './files';
import type { GitProgressDto } from './git-remotes';
import {
  fsCreateSchema,
  fsDeleteSchema,
  fsListSchema,
  fsLockSchema,
  fsMoveSchema,
  fsReadSchema,
  fsUnlockSchema,
  fsWatchSchema,
  fsWriteSchema,
} from './files';
import { projectRefSchema } from './ids';
import type { ProjectDto } from './projects';
import type { SnapshotStatusDto } from './snapshots';
import type { TerminalAttachDto, TerminalDto } from './terminal';
import {
  terminalAttachSchema,
  terminalCloseSchema,
  terminalCreateSchema,
  terminalInputSchema,
  terminalRenameSchema,
  terminalResizeSchema,
  terminalRestartSchema,
} from './terminal';
import type { WorkspaceStatusDto } from './workspace';

export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** An event's result type. Results come from Berth itself, so they are declared, not parsed. */
export interface Returns<T> {
  readonly result?: T;
}
const returns = <T>(): Returns<T> => ({});

interface ClientEventSpec {
  payload: z.ZodType;
  result: Returns<unknown>;
}

/** Every event a client may send: name → payload schema → result. */
export const clientEvents = {
  /** Opens the project: joins its room and starts its workspace if needed. */
  'project:open': { payload: projectRefSchema, result: returns<ProjectDto>() },
  /** Joins the project's status room, counts as an open tab, starts a stopped workspace. */
  'workspace:open': { payload: projectRefSchema, result: returns<WorkspaceStatusDto>() },
  'workspace:start': { payload: projectRefSchema, result: returns<WorkspaceStatusDto>() },
  'workspace:stop': { payload: projectRefSchema, result: returns<WorkspaceStatusDto>() },
  'terminal:list': { payload: projectRefSchema, result: returns<TerminalDto[]>() },
  'terminal:create': { payload: terminalCreateSchema, result: returns<TerminalAttachDto>() },
  'terminal:attach': { payload: terminalAttachSchema, result: returns<TerminalAttachDto>() },
  'terminal:detach': { payload: terminalAttachSchema, result: returns<null>() },
  'terminal:input': { payload: terminalInputSchema, result: returns<null>() },
  'terminal:resize': { payload: terminalResizeSchema, result: returns<null>() },
  'terminal:rename': { payload: terminalRenameSchema, result: returns<TerminalDto>() },
  'terminal:restart': { payload: terminalRestartSchema, result: returns<TerminalAttachDto>() },
  'terminal:close': { payload: terminalCloseSchema, result: returns<null>() },
  'fs:list': { payload: fsListSchema, result: returns<FileEntry[]>() },
  'fs:read': { payload: fsReadSchema, result: returns<ReadResult>() },
  /** Error code 'conflict' when baseVersion is stale, 'locked' when someone holds a lock. */
  'fs:write': { payload: fsWriteSchema, result: returns<{ version: string; size: number }>() },
  'fs:create': { payload: fsCreateSchema, result: returns<FileEntry>() },
  'fs:move': { payload: fsMoveSchema, result: returns<FileEntry>() },
  'fs:delete': { payload: fsDeleteSchema, result: returns<null>() },
  'fs:lock': { payload: fsLockSchema, result: returns<FileLockDto>() },
  'fs:unlock': { payload: fsUnlockSchema, result: returns<null>() },
  /** Start watching a heavy folder the tree opened. */
  'fs:watch': { payload: fsWatchSchema, result: returns<null>() },
  'fs:locks': { payload: projectRefSchema, result: returns<FileLockDto[]>() },
} as const satisfies Record<string, ClientEventSpec>;

export type ClientEventName = keyof typeof clientEvents;
/** What a client sends for an event (before parsing). */
export type PayloadOf<E extends ClientEventName> = z.input<(typeof clientEvents)[E]['payload']>;
/** What a handler receives for an event (after parsing: defaults applied, strings trimmed). */
export type ParsedPayloadOf<E extends ClientEventName> = z.output<(typeof clientEvents)[E]['payload']>;
/** The data of an event's successful answer. */
export type ResultOf<E extends ClientEventName> =
  (typeof clientEvents)[E]['result'] extends Returns<infer R> ? R : never;

export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: PayloadOf<E>, ack: (result: Ack<ResultOf<E>>) => void) => void;
};

/** Every push the server sends: name → payload. */
interface ServerEventPayloads {
  'project:updated': ProjectDto;
  'project:deleted': { projectId: string };
  'workspace:status': WorkspaceStatusDto;
  /** Output batches; the client acks each so the server can apply backpressure. */
  'terminal:output': { terminalId: string; data: string };
  'terminal:updated': TerminalDto;
  'terminal:closed': { terminalId: string };
  'fs:changed': { projectId: string; changes: FileChange[] };
  'fs:locks': { projectId: string; locks: FileLockDto[] };
  /** Automatic snapshots of the project: saving, failed (with the next try), or idle. */
  'snapshot:status': SnapshotStatusDto;
  /** A port of the project's workspace opened or closed: fetch GET …/previews again. */
  'preview:changed': { projectId: string };
  /** This browser stopped acking output and was detached; attach again to catch up. */
  'terminal:detached': { terminalId: string };
  /** The session or access token this socket was opened with has ended; it is disconnected next. */
  'session:ended': { reason: string };
  /** An assistant turn of the project, as its POST …/messages stream tells it (DESIGN.md "Assistant"). */
  'ai:started': AiPushOf<'started'>;
  'ai:text': AiPushOf<'text'>;
  'ai:tool-call': AiPushOf<'tool-call'>;
  'ai:tool-result': AiPushOf<'tool-result'>;
  'ai:tool-output': AiPushOf<'tool-output'>;
  'ai:error': AiPushOf<'error'>;
  'ai:done': AiPushOf<'done'>;
  /** A turn was undone, or turns were rewound (Retry/Edit): update the conversation. */
  'ai:turn-updated': TurnUpdatedPushDto;
  /** A conversation of the project was created, renamed or deleted: fetch the list again. */
  'ai:conversations': { projectId: string };
  /** The project's git state may have changed (a git route changed it): fetch GET …/git/status again. */
  'git:changed': { projectId: string };
  /** A fetch, pull or push of the project is under way: git's progress, to show under its button. */
  'git:progress': GitProgressDto;
}

/** Pushes the client acknowledges (so the server can apply backpressure). */
type AckedServerEvent = 'terminal:output';

export type ServerEventName = keyof ServerEventPayloads;
export type ServerPayloadOf<E extends ServerEventName> = ServerEventPayloads[E];

export type ServerToClientEvents = {
  [E in ServerEventName]: E extends AckedServerEvent
    ? (payload: ServerEventPayloads[E], ack: () => void) => void
    : (payload: ServerEventPayloads[E]) => void;
};
