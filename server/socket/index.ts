// Socket.IO glue: server setup with host, origin and auth checks, per-user caps, message size,
// revocation, and defineHandler(schema, fn). Imports auth, core and contracts; features
// register their own handlers.
export {
  createSocketServer,
  isHandshakeAllowed,
  userRoom,
  projectRoom,
  SOCKET_REFUSALS,
  type BerthServer,
  type BerthSocket,
} from './io';
export { defineHandler } from './define-handler';
export { disconnectEndedSessions } from './revocation';
export { SOCKET_MESSAGE_LIMIT_BYTES } from './message-size';
