'use client';
// The workbench's typed Socket.IO client: one per mounted workbench (no module singleton).
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '@/server/contracts';

export type WorkbenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type AckOf<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
type DataOf<E extends keyof ClientToServerEvents> = Extract<AckOf<E>, { ok: true }>['data'];
type PayloadOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];

export class SocketCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function createWorkbenchSocket(): WorkbenchSocket {
  // WebSocket only: browsers always send Origin on it, which the server checks exactly.
  // Reconnect attempts at most a second apart (the default backs off to 5 s): a restarted Berth
  // is back within seconds and the IDE should be too; jitter spreads the clients' attempts.
  return io({ transports: ['websocket'], withCredentials: true, reconnectionDelay: 250, reconnectionDelayMax: 1000 });
}

/** Emits an event and resolves with its ack's data, or rejects with its error. */
export function call<E extends keyof ClientToServerEvents>(
  socket: WorkbenchSocket,
  event: E,
  payload: PayloadOf<E>,
  timeoutMs = 30_000,
): Promise<DataOf<E>> {
  // The typed emit cannot express a generic event with an ack; the contract types guard the call.
  const untyped = socket as unknown as Socket;
  return new Promise((resolve, reject) => {
    untyped.timeout(timeoutMs).emit(event, payload, (error: Error | null, result: Ack<DataOf<E>>) => {
      if (error) reject(new SocketCallError('timeout', 'The server did not answer in time'));
      else if (result.ok) resolve(result.data);
      else reject(new SocketCallError(result.error.code, result.error.message));
    });
  });
}
