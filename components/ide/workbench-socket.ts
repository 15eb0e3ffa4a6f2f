'use client';
// The workbench's typed Socket.IO client: one per mounted workbench (no module singleton).
import { io, type Socket } from 'socket.io-client';
import {
  callEvent,
  type ClientEventName,
  type ClientToServerEvents,
  type PayloadOf,
  type ResultOf,
  type ServerToClientEvents,
} from '@/server/contracts';

export { SocketCallError } from '@/server/contracts';

export type WorkbenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function createWorkbenchSocket(): WorkbenchSocket {
  // WebSocket only: browsers always send Origin on it, which the server checks exactly.
  // Reconnect attempts at most a second apart (the default backs off to 5 s): a restarted Berth
  // is back within seconds and the IDE should be too; jitter spreads the clients' attempts.
  return io({ transports: ['websocket'], withCredentials: true, reconnectionDelay: 250, reconnectionDelayMax: 1000 });
}

/** Emits an event and resolves with its ack's data, or rejects with a SocketCallError. */
export function call<E extends ClientEventName>(
  socket: WorkbenchSocket,
  event: E,
  payload: PayloadOf<E>,
  timeoutMs = 30_000,
): Promise<ResultOf<E>> {
  return callEvent(socket, event, payload, timeoutMs);
}
