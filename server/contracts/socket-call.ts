// Calling a client event and waiting for its answer, typed by the contract table. Shared by the
// browser's workbench and Berth's scripts (bench, tests); structural socket type, so this
// folder stays free of socket.io-client.
import type { Ack, ClientEventName, PayloadOf, ResultOf } from './socket';

/** An error answer (its code is the server's, e.g. 'locked'), or 'timeout' when none came. */
export class SocketCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The part of a Socket.IO client socket that `callEvent` needs. */
export interface AckingEmitter {
  timeout(ms: number): { emit(event: string, ...args: unknown[]): unknown };
}

/** Emits an event and resolves with its ack's data, or rejects with a SocketCallError. */
export function callEvent<E extends ClientEventName>(
  socket: AckingEmitter,
  event: E,
  payload: PayloadOf<E>,
  timeoutMs = 30_000,
): Promise<ResultOf<E>> {
  return new Promise((resolve, reject) => {
    socket.timeout(timeoutMs).emit(event, payload, (error: Error | null, result: Ack<ResultOf<E>>) => {
      if (error) reject(new SocketCallError('timeout', `${event}: the server did not answer in time`));
      else if (result.ok) resolve(result.data);
      else reject(new SocketCallError(result.error.code, result.error.message));
    });
  });
}
