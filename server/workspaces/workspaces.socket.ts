// Workspace events over Socket.IO: open (join the project's room, count as an open tab,
// start if stopped), start, stop. Ownership is checked on every event.
import type { Disposer } from '../core/typed-emitter';
import type { ProjectService } from '../projects';
import { defineHandler, projectRoom, type BerthServer, type BerthSocket } from '../socket';
import type { WorkspaceService } from './workspace-service';

export function registerWorkspaceSocketHandlers(
  socket: BerthSocket,
  projects: ProjectService,
  workspaces: WorkspaceService,
): void {
  const { userId } = socket.data.principal;
  const openClients = new Map<string, Disposer>();

  defineHandler(socket, 'workspace:open', async ({ projectId }) => {
    await projects.get(userId, projectId);
    // Counted as an open tab at once (idle reaper), but in the room only once the status has
    // settled: right after a Berth restart the adoption of a running workspace passes through
    // `starting`, and a tab told so tears down its terminals, and the keys typed into them.
    const joining = !openClients.has(projectId);
    if (joining) openClients.set(projectId, workspaces.addClient(projectId, socket.id));
    const status = await workspaces.settledStatus(projectId);
    if (joining && socket.connected) await socket.join(projectRoom(projectId));
    // Opening a stopped workspace starts it; an error stays until the user retries, except a
    // refusal over quota: by now another workspace may have stopped.
    if (status.state === 'stopped' || status.error?.code === 'quota_exceeded') void workspaces.start(projectId);
    return workspaces.status(projectId);
  });
  defineHandler(socket, 'workspace:start', async ({ projectId }) => {
    await projects.get(userId, projectId);
    void workspaces.start(projectId);
    return workspaces.status(projectId);
  });
  defineHandler(socket, 'workspace:stop', async ({ projectId }) => {
    await projects.get(userId, projectId);
    return workspaces.stop(projectId);
  });
  socket.on('disconnect', () => {
    for (const dispose of openClients.values()) dispose();
    openClients.clear();
  });
}

/** Pushes every status change to the clients that opened the project. */
export function broadcastWorkspaceStatus(io: BerthServer, workspaces: WorkspaceService): Disposer {
  return workspaces.events.on('onDidChangeStatus', (status) =>
    io.to(projectRoom(status.projectId)).emit('workspace:status', status),
  );
}
