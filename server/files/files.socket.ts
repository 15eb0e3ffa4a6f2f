// File events over Socket.IO (fs:list, fs:read, fs:write …, fs:lock/unlock/locks, fs:watch),
// plus the pushes to a project's room: the agent's debounced 'fs.changed' as 'fs:changed',
// and every lock change as 'fs:locks'. A socket's locks go when it disconnects.
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
  projectOpenSchema,
  type FileChange,
} from '../contracts';
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
  log: Logger,
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

  socket.on(
    'fs:list',
    defineHandler(fsListSchema, log, ({ projectId, path }) => files.list(actor, projectId, path)),
  );
  socket.on(
    'fs:read',
    defineHandler(fsReadSchema, log, ({ projectId, path }) => files.read(actor, projectId, path)),
  );
  socket.on(
    'fs:write',
    defineHandler(fsWriteSchema, log, ({ projectId, path, content, baseVersion }) =>
      files.writeText(actor, projectId, path, content, baseVersion),
    ),
  );
  socket.on(
    'fs:create',
    defineHandler(fsCreateSchema, log, ({ projectId, path, kind }) => files.create(actor, projectId, path, kind)),
  );
  socket.on(
    'fs:move',
    defineHandler(fsMoveSchema, log, ({ projectId, from, to }) => files.move(actor, projectId, from, to)),
  );
  socket.on(
    'fs:delete',
    defineHandler(fsDeleteSchema, log, async ({ projectId, path }) => {
      await files.delete(actor, projectId, path);
      return null;
    }),
  );
  socket.on(
    'fs:watch',
    defineHandler(fsWatchSchema, log, async ({ projectId, path }) => {
      await files.watch(actor, projectId, path);
      return null;
    }),
  );
  socket.on(
    'fs:lock',
    defineHandler(fsLockSchema, log, async ({ projectId, path, ttlSeconds }) => {
      await files.authorize(actor, projectId);
      return locks.lock(projectId, path, { id: actor.holderId, name: await name() }, ttlSeconds);
    }),
  );
  socket.on(
    'fs:unlock',
    defineHandler(fsUnlockSchema, log, async ({ projectId, path }) => {
      await files.authorize(actor, projectId);
      locks.unlock(projectId, path, actor.holderId);
      return null;
    }),
  );
  socket.on(
    'fs:locks',
    defineHandler(projectOpenSchema, log, async ({ projectId }) => {
      await files.authorize(actor, projectId);
      return locks.list(projectId);
    }),
  );
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
