// Project events over Socket.IO. Each event re-checks ownership: the handshake alone
// proves who you are, not what you may touch.
import type { Disposer } from '../core/typed-emitter';
import { defineHandler, userRoom, type BerthServer, type BerthSocket } from '../socket';
import type { ProjectService } from './project-service';

export function registerProjectSocketHandlers(socket: BerthSocket, projects: ProjectService): void {
  const { userId } = socket.data.principal;
  defineHandler(socket, 'project:open', async ({ projectId }) => projects.markOpened(userId, projectId));
}

/** Pushes project changes to every socket of the owner; returns a disposer. */
export function broadcastProjectChanges(io: BerthServer, projects: ProjectService): Disposer {
  const offChange = projects.events.on('onDidChange', ({ ownerId, project }) =>
    io.to(userRoom(ownerId)).emit('project:updated', project),
  );
  const offDelete = projects.events.on('onDidDelete', ({ ownerId, projectId }) =>
    io.to(userRoom(ownerId)).emit('project:deleted', { projectId }),
  );
  return () => {
    offChange();
    offDelete();
  };
}
