// The assistant's file tools for one turn, as the AI SDK tool set a turn is streamed with
// (TurnRequest.tools), plus the turn's change log (Turn.changedFiles, the UI's change cards) and
// the release of the turn's file locks at its end or stop. Everything runs through FileService,
// so locks, versions, watchers and snapshots see the assistant's changes as a user's own.
import type { ToolSet } from 'ai';
import type { Actor, FileService, LockHolder, LockService } from '../../files';
import { FileChangeLog } from './file-change-log';
import type { FileToolContext } from './file-tool-context';
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

export type FileToolSet = ReturnType<typeof fileToolSet>;

export interface FileTools {
  tools: FileToolSet;
  changeLog: FileChangeLog;
  /** Who the turn's locks belong to: `{ id: 'assistant:<turnId>', name: 'Assistant' }`. */
  holder: LockHolder;
  /**
   * Call when the turn ends, fails or is stopped: waits for a change still landing (at most
   * SETTLE_TIMEOUT_MS), then drops every lock the turn took. The change log is complete after it.
   */
  releaseLocks(): Promise<void>;
}

/** How long releaseLocks waits for a write in flight before releasing anyway. */
export const SETTLE_TIMEOUT_MS = 10_000;

export function createFileTools(options: FileToolsOptions): FileTools {
  const holder = assistantHolder(options.turnId);
  const locks = new TurnFileLocks(options.locks, options.projectId, holder);
  const changeLog = new FileChangeLog();
  const context: FileToolContext = {
    files: options.files,
    actor: { userId: options.actor.userId, holderId: holder.id },
    projectId: options.projectId,
    signal: options.signal,
  };
  const changing = writeTools({ ...context, locks, changeLog });
  return {
    tools: fileToolSet(context, changing.tools),
    changeLog,
    holder,
    releaseLocks: async () => {
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, SETTLE_TIMEOUT_MS)));
      await Promise.race([changing.idle(), bound]).finally(() => clearTimeout(timer));
      locks.releaseAll();
    },
  };
}

function fileToolSet(context: FileToolContext, changing: ReturnType<typeof writeTools>['tools']) {
  return {
    list_files: listFilesTool(context),
    read_file: readFileTool(context),
    search: searchTool(context),
    ...changing,
  } satisfies ToolSet;
}
