// The workbench socket's connection as the page shows it, and how a refused handshake is read.
// The server's refusals (server/socket/io.ts SOCKET_REFUSALS) arrive as connect_error messages;
// a refusal for the page's origin comes as a bare "websocket error" on the WebSocket transport,
// so it is recognised by comparing the page's origin with BERTH_URL's.

export type ConnectionState =
  'connecting' | 'connected' | 'reconnecting' | 'refused' | 'too_many' | 'wrong_origin' | 'ended';

export interface Connection {
  state: ConnectionState;
  /** too_many: the server's text; ended: why the session ended. */
  message?: string;
  /** wrong_origin: the address to open instead (BERTH_URL). */
  berthUrl?: string;
}

export type ConnectErrorKind = 'unauthorized' | 'too_many' | 'origin' | 'unknown';

export function classifyConnectError(error: { message: string; data?: unknown }): ConnectErrorKind {
  switch (error.message) {
    case 'unauthorized':
      return 'unauthorized';
    case 'too_many_sockets':
      return 'too_many';
    case 'origin not allowed':
    case 'host not allowed':
      return 'origin';
    default:
      return 'unknown';
  }
}

/** The human text the server attached to a refusal (error.data.message), if any. */
export function refusalMessage(error: { message: string; data?: unknown }): string | undefined {
  const data = error.data as { message?: unknown } | undefined;
  return typeof data?.message === 'string' ? data.message : undefined;
}

/** True when the page is not on BERTH_URL's origin: the socket is refused there whatever we do. */
export function isOtherOrigin(pageOrigin: string, berthUrl: string): boolean {
  try {
    return new URL(berthUrl).origin !== pageOrigin;
  } catch {
    return false;
  }
}

export function connectionLabel(connection: Connection): string {
  switch (connection.state) {
    case 'connecting':
      return 'Connecting…';
    case 'connected':
      return 'Connected';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'refused':
      return 'Signed out — reload to sign in';
    case 'too_many':
      return connection.message ?? 'Too many open connections for your account';
    case 'wrong_origin':
      return `Connections are accepted only from ${connection.berthUrl ?? "Berth's own address"}`;
    case 'ended':
      return connection.message ?? 'Your session has ended: sign in again';
    default: {
      const exhaustive: never = connection.state;
      return exhaustive;
    }
  }
}
