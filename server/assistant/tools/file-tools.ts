// The assistant's file tools for one turn, as the AI SDK tool set a turn is streamed with
// (TurnRequest.tools), plus the turn's change log (Turn.changedFiles, the UI's change cards) and
// the release of the turn's file locks at its end or stop. Everything runs through FileService,
// so locks, versions, watchers and snapshots see the assistant's changes as a user's own.
import type { ToolSet } from 'ai';
import type { Actor, FileService, LockHolder, LockService } from '../../files';
import { FileChangeLog } from './file-change-log';
import { listFilesTool, readFileTool } from './read-tools';
import { searchTool } from './search-tool';
import { assistantHolder, TurnFileLocks } from './turn-file-locks';
import { writeTools } from './write-tools';

export interface FileToolsOptions {
  files: FileService;
  locks: LockService;
  /** The user the turn runs for (its holderId is replaced by the turn's own). */
  actor: Actor;
  projectId: string;
  turnId: string;
  /** The turn's stop. */
  signal: AbortSignal;
}

export interface FileTools {
  tools: ReturnType<typeof fileToolSet>;
  changeLog: FileChangeLog;
  /** Who the turn's locks belong to: `{ id: 'assistant:<turnId>', name: 'Assistant' }`. */
  holder: LockHolder;
  /** Drops every lock the turn took; call it when the turn ends, fails or is stopped. */
  releaseLocks(): void;
}

export function createFileTools(options: FileToolsOptions): FileTools {
  const holder = assistantHolder(options.turnId);
  const locks = new TurnFileLocks(options.locks, options.projectId, holder);
  const changeLog = new FileChangeLog();
  const context = {
    files: options.files,
    actor: { userId: options.actor.userId, holderId: holder.id },
    projectId: options.projectId,
    signal: options.signal,
  };
  return {
    tools: fileToolSet(context, locks, changeLog),
    changeLog,
    holder,
    releaseLocks: () => locks.releaseAll(),
  };
}

function fileToolSet(context: Parameters<typeof listFilesTool>[0], locks: TurnFileLocks, changeLog: FileChangeLog) {
  return {
    list_files: listFilesTool(context),
    read_file: readFileTool(context),
    search: searchTool(context),
    ...writeTools({ ...context, locks, changeLog }),
  } satisfies ToolSet;
}
