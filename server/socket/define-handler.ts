// Wraps a socket event handler: parses the payload with its zod schema, answers through the
// ack with {ok, data} or {ok:false, error}, and never lets a bad message crash the server.
import type { ZodType } from 'zod';
import type { Ack } from '../contracts';
import { DomainError } from '../core/errors';
import type { Logger } from '../core/logger';

export type AckFn<T> = (result: Ack<T>) => void;

export function defineHandler<P, R>(
  schema: ZodType<P>,
  log: Logger,
  handler: (payload: P) => Promise<R>,
): (payload: unknown, ack?: unknown) => void {
  return (payload, ack) => {
    const respond: AckFn<R> = typeof ack === 'function' ? (ack as AckFn<R>) : () => undefined;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      respond({
        ok: false,
        error: { code: 'bad_request', message: parsed.error.issues[0]?.message ?? 'Malformed message' },
      });
      return;
    }
    handler(parsed.data).then(
      (data) => respond({ ok: true, data }),
      (error: unknown) => {
        if (error instanceof DomainError) {
          respond({ ok: false, error: { code: error.code, message: error.message } });
          return;
        }
        log.error({ err: error }, 'socket handler failed');
        respond({ ok: false, error: { code: 'internal', message: 'Something went wrong on our side' } });
      },
    );
  };
}
