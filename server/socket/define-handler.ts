// Registers a handler for one client event of the contract table: the event's name picks its
// payload schema, so a handler cannot be paired with the wrong one. The payload is parsed,
// the answer goes through the ack as {ok, data} or {ok:false, error}, and a bad message never
// crashes the server.
import { clientEvents, type Ack, type ClientEventName, type ParsedPayloadOf, type ResultOf } from '../contracts';
import { DomainError } from '../core/errors';
import type { BerthSocket } from './io';

export type AckFn<T> = (result: Ack<T>) => void;
type UntypedSocket = { on(event: string, listener: (...args: unknown[]) => void): unknown };

export function defineHandler<E extends ClientEventName>(
  socket: BerthSocket,
  event: E,
  handler: (payload: ParsedPayloadOf<E>) => Promise<ResultOf<E>> | ResultOf<E>,
): void {
  const schema = clientEvents[event].payload;
  const log = socket.data.log;
  const listener = (payload: unknown, ack?: unknown): void => {
    const respond: AckFn<ResultOf<E>> = typeof ack === 'function' ? (ack as AckFn<ResultOf<E>>) : () => undefined;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      respond({
        ok: false,
        error: { code: 'bad_request', message: parsed.error.issues[0]?.message ?? 'Malformed message' },
      });
      return;
    }
    Promise.resolve()
      .then(() => handler(parsed.data as ParsedPayloadOf<E>))
      .then(
        (data) => respond({ ok: true, data }),
        (error: unknown) => {
          if (error instanceof DomainError) {
            respond({ ok: false, error: { code: error.code, message: error.message } });
            return;
          }
          log.error({ err: error, event }, 'socket handler failed');
          respond({ ok: false, error: { code: 'internal', message: 'Something went wrong on our side' } });
        },
      );
  };
  // Socket.IO's typed `on` cannot relate a generic event name to its listener; the table does.
  (socket as unknown as UntypedSocket).on(event, listener);
}
