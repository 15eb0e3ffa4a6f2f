// Socket.IO glue: server setup with origin and auth checks, and defineHandler(schema, fn).
// Imports auth, core and contracts; features register their own handlers.
export { createSocketServer, isHandshakeAllowed, userRoom, projectRoom, type BerthServer, type BerthSocket } from './io';
export { defineHandler } from './define-handler';
