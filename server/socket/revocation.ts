// Ends sockets the moment what opened them ends: a signed-out or revoked session, a deleted
// access token, a deleted account. (Each event also re-checks liveness: other replicas' ends
// are caught within the session cache's lifetime.)
import type { SessionService, TokenService } from '../auth';
import type { Disposer } from '../core/typed-emitter';
import type { Logger } from '../core/logger';
import { userRoom, type BerthServer } from './io';

export function disconnectEndedSessions(
  io: BerthServer,
  sessions: SessionService,
  tokens: TokenService,
  log: Logger,
): Disposer {
  const cut = (
    userId: string,
    matches: (socket: { data: { principal?: { via: string; sessionId?: string; tokenId?: string } } }) => boolean,
  ) => {
    let count = 0;
    for (const socketId of io.sockets.adapter.rooms.get(userRoom(userId)) ?? []) {
      const socket = io.sockets.sockets.get(socketId);
      if (socket && matches(socket)) {
        socket.emit('session:ended', { reason: 'Your session has ended: sign in again' });
        socket.disconnect(true);
        count++;
      }
    }
    if (count) log.info({ userId, sockets: count }, 'disconnected sockets of ended sessions');
  };
  const offSessions = sessions.events.on('onDidEnd', ({ userId, sessionIds }) => {
    const ended = new Set(sessionIds);
    cut(
      userId,
      (socket) => socket.data.principal?.via === 'session' && ended.has(socket.data.principal.sessionId ?? ''),
    );
  });
  const offTokens = tokens.events.on('onDidRevoke', ({ userId, tokenIds }) => {
    const revoked = new Set(tokenIds);
    cut(userId, (socket) => socket.data.principal?.via === 'token' && revoked.has(socket.data.principal.tokenId ?? ''));
  });
  return () => {
    offSessions();
    offTokens();
  };
}
