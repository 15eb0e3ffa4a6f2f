// Terminal events over Socket.IO. Creating or attaching checks project ownership; input,
// resize and the rest are only accepted for terminals this socket has attached, so a
// closed or foreign terminal gets an error ack and nothing else happens.
import { notFound } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Disposer } from '../core/typed-emitter';
import type { ProjectService } from '../projects';
import { defineHandler, projectRoom, type BerthServer, type BerthSocket } from '../socket';
import type { TerminalService } from './terminal-service';
import type { TerminalSink } from './terminal-session';

export function registerTerminalSocketHandlers(
  socket: BerthSocket,
  projects: ProjectService,
  terminals: TerminalService,
  log: Logger,
): void {
  const { userId } = socket.data.principal;
  const attached = new Set<string>();

  // One sink per terminal, so output carries its terminal id and a drop detaches just that one.
  const sinkFor = (terminalId: string): TerminalSink => ({
    id: socket.id,
    send: (data, ack) => socket.emit('terminal:output', { terminalId, data }, ack),
    dropped: () => {
      attached.delete(terminalId);
      log.warn({ terminalId }, 'terminal client stopped reading output; detached it');
      socket.emit('terminal:detached', { terminalId });
    },
  });
  // Hot paths (input, resize) trust only terminals this socket attached after an ownership check.
  const attachedSession = (terminalId: string) => {
    if (!attached.has(terminalId)) throw notFound('Terminal not found');
    return terminals.get(terminalId);
  };
  // Rare operations may name any terminal of a project the caller owns.
  const ownedSession = async (terminalId: string) => {
    const session = await terminals.find(terminalId);
    if (!attached.has(terminalId)) await projects.get(userId, session.projectId);
    return session;
  };

  defineHandler(socket, 'terminal:list', async ({ projectId }) => {
    await projects.get(userId, projectId);
    return terminals.list(projectId);
  });
  defineHandler(socket, 'terminal:create', async ({ projectId, cols, rows, title }) => {
    await projects.get(userId, projectId);
    const created = await terminals.create(projectId, { cols, rows }, sinkFor, title);
    attached.add(created.id);
    return created;
  });
  defineHandler(socket, 'terminal:attach', async ({ terminalId }) => {
    const session = await terminals.find(terminalId);
    await projects.get(userId, session.projectId);
    attached.add(terminalId);
    return session.attach(sinkFor(terminalId));
  });
  defineHandler(socket, 'terminal:detach', async ({ terminalId }) => {
    attachedSession(terminalId).detach(socket.id);
    attached.delete(terminalId);
    return null;
  });
  defineHandler(socket, 'terminal:input', async ({ terminalId, data }) => {
    attachedSession(terminalId).write(data);
    return null;
  });
  defineHandler(socket, 'terminal:resize', async ({ terminalId, cols, rows }) => {
    await attachedSession(terminalId).resize(cols, rows);
    return null;
  });
  defineHandler(socket, 'terminal:rename', async ({ terminalId, title }) => {
    await ownedSession(terminalId);
    return terminals.rename(terminalId, title);
  });
  defineHandler(socket, 'terminal:restart', async ({ terminalId, cols, rows }) => {
    attachedSession(terminalId).detach(socket.id);
    return terminals.restart(terminalId, { cols, rows }, sinkFor(terminalId));
  });
  defineHandler(socket, 'terminal:close', async ({ terminalId }) => {
    await ownedSession(terminalId);
    terminals.close(terminalId);
    attached.delete(terminalId);
    return null;
  });
  socket.on('disconnect', () => {
    for (const terminalId of attached) {
      try {
        terminals.get(terminalId).detach(socket.id);
      } catch {
        // already closed
      }
    }
    attached.clear();
  });
}

/** Tells every client of the project when a terminal changes or closes. */
export function broadcastTerminalChanges(io: BerthServer, terminals: TerminalService): Disposer {
  const offChange = terminals.events.on('onDidChange', (terminal) =>
    io.to(projectRoom(terminal.projectId)).emit('terminal:updated', terminal),
  );
  const offClose = terminals.events.on('onDidClose', ({ projectId, terminalId }) =>
    io.to(projectRoom(projectId)).emit('terminal:closed', { terminalId }),
  );
  return () => {
    offChange();
    offClose();
  };
}
