// File events over Socket.IO (fs:list, fs:read, fs:write …, fs:lock/unlock/locks, fs:watch),
// plus the pushes to a project's room: the agent's debounced 'fs.changed' as 'fs:changed',
// and every lock change as 'fs:locks'. A socket's locks go when it disconnects.
import type { FileChange } from '../contracts';
import { onAgentEvent, type AgentAnnouncer } from '../core/agent-events';
import type { Logger } from '../core/logger';
import type { Disposer } from '../core/typed-emitter';
import { defineHandler, projectRoom, type BerthServer, type BerthSocket } from '../socket';
import type { FileService } from './file-service';
import type { LockService } from './lock-service';

export interface UserNames {
  findById(id: string): Promise<{ name: string | null; email?: string } | null>;
}

export function registerFileSocketHandlers(
  socket: BerthSocket,
  files: FileService,
  locks: LockService,
  users: UserNames,
): void {
  const { userId } = socket.data.principal;
  // Writes from this socket count as the holder of the locks it took.
  const actor = { userId, holderId: `socket:${socket.id}` };
  let holderName: Promise<string> | undefined;
  const name = () =>
    (holderName ??= users.findById(userId).then(
      (user) => user?.name || user?.email || 'someone',
      () => 'someone',
    ));

  defineHandler(socket, 'fs:list', ({ projectId, path }) => files.list(actor, projectId, path));
  defineHandler(socket, 'fs:read', ({ projectId, path }) => files.read(actor, projectId, path));
  defineHandler(socket, 'fs:write', ({ projectId, path, content, baseVersion }) =>
    files.writeText(actor, projectId, path, content, baseVersion),
  );
  defineHandler(socket, 'fs:create', ({ projectId, path, kind }) => files.create(actor, projectId, path, kind));
  defineHandler(socket, 'fs:move', ({ projectId, from, to }) => files.move(actor, projectId, from, to));
  defineHandler(socket, 'fs:delete', async ({ projectId, path }) => {
    await files.delete(actor, projectId, path);
    return null;
  });
  defineHandler(socket, 'fs:watch', async ({ projectId, path }) => {
    await files.watch(actor, projectId, path);
    return null;
  });
  defineHandler(socket, 'fs:lock', async ({ projectId, path, ttlSeconds }) => {
    await files.authorize(actor, projectId);
    return locks.lock(projectId, path, { id: actor.holderId, name: await name() }, ttlSeconds);
  });
  defineHandler(socket, 'fs:unlock', async ({ projectId, path }) => {
    await files.authorize(actor, projectId);
    locks.unlock(projectId, path, actor.holderId);
    return null;
  });
  defineHandler(socket, 'fs:locks', async ({ projectId }) => {
    await files.authorize(actor, projectId);
    return locks.list(projectId);
  });
  socket.on('disconnect', () => locks.releaseHolder(actor.holderId));
}

/** Forwards every agent's 'fs.changed' to its project's room as 'fs:changed'. */
export function broadcastFileChanges(io: BerthServer, workspaces: AgentAnnouncer, log: Logger): Disposer {
  return onAgentEvent(workspaces, 'fs.changed', (projectId, data) => {
    if (!Array.isArray(data)) {
      log.warn({ projectId }, 'agent sent malformed fs.changed; ignored');
      return;
    }
    io.to(projectRoom(projectId)).emit('fs:changed', { projectId, changes: data as FileChange[] });
  });
}

/** Pushes the project's whole lock list whenever it changes (taken, released, expired). */
export function broadcastLockChanges(io: BerthServer, locks: LockService): Disposer {
  return locks.events.on('onDidChange', ({ projectId, locks: list }) =>
    io.to(projectRoom(projectId)).emit('fs:locks', { projectId, locks: list }),
  );
}
