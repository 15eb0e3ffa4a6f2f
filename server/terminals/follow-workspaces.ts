// Terminals follow their workspace: when it runs, the tmux sessions it kept (maybe from before a
// Berth restart) are adopted; when the engine restarted under it, their attach streams are
// reattached; when a process in it is killed for memory, its terminals say so.
import type { WorkspaceStatusDto } from '../contracts';
import type { Logger } from '../core/logger';
import type { Disposer } from '../core/typed-emitter';
import type { RuntimeDriver } from '../runtime';
import { outOfMemoryNotice, printTerminalNotice } from './terminal-notice';
import type { TerminalService } from './terminal-service';

/** The workspace events terminals follow (WorkspaceService fits). */
export interface TerminalWorkspaceEvents {
  events: {
    on(event: 'onDidChangeStatus', listener: (status: WorkspaceStatusDto) => void): Disposer;
    on(event: 'onDidReconnectAgent', listener: (payload: { projectId: string }) => void): Disposer;
    on(
      event: 'onDidRunOutOfMemory',
      listener: (payload: { projectId: string; memoryLimitMb: number | null }) => void,
    ): Disposer;
  };
}

export function followWorkspaceEvents(
  workspaces: TerminalWorkspaceEvents,
  terminals: TerminalService,
  runtime: RuntimeDriver,
  log: Logger,
): Disposer {
  const disposers = [
    // A running workspace may hold terminal sessions from before a Berth restart: adopt them.
    workspaces.events.on('onDidChangeStatus', (status) => {
      if (status.state === 'running') void terminals.adopt(status.projectId, status.startedAt ?? '');
    }),
    // The engine restarted under a running workspace: its terminals' attach streams ended.
    workspaces.events.on('onDidReconnectAgent', ({ projectId }) => {
      terminals
        .reattachLost(projectId)
        .catch((error: unknown) => log.warn({ projectId, err: error }, 'could not reattach terminals'));
    }),
    // A process was killed for memory: say so where it happened.
    workspaces.events.on('onDidRunOutOfMemory', ({ projectId, memoryLimitMb }) => {
      printTerminalNotice(runtime, projectId, outOfMemoryNotice(memoryLimitMb)).catch((error: unknown) =>
        log.warn({ projectId, err: error }, 'could not tell the terminals about the out-of-memory kill'),
      );
    }),
  ];
  return () => disposers.forEach((dispose) => dispose());
}
