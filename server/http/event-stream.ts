// Server-Sent Events framing (text/event-stream) for a route that streams: named events with a
// JSON data line, a comment now and then so proxies keep a quiet stream, a `retry:` line so a
// browser's EventSource does not reconnect at once after the stream closes, and a signal that
// aborts when the client goes (the route stops what it follows then). A client reading slower
// than the source writes is not buffered for without bound: past maxBufferedBytes unsent, the
// stream ends (the client reconnects after the retry delay and starts over from the log's tail).
import type { ServerResponse } from 'node:http';

/** How often a quiet stream gets a comment line. */
const HEARTBEAT_MS = 15_000;
/** Bytes left unsent to a slow client before the stream gives up on it. */
const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
/** How long EventSource waits before reconnecting to a stream that closed. */
const DEFAULT_RETRY_MS = 5_000;

export interface EventStreamOptions {
  maxBufferedBytes?: number;
  retryMs?: number;
}

export interface EventStream {
  send(event: string, data: unknown): void;
  /** Aborts when the client closes the connection, it fell too far behind, or end() was called. */
  signal: AbortSignal;
  end(): void;
}

export function openEventStream(res: ServerResponse, options: EventStreamOptions = {}): EventStream {
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const controller = new AbortController();
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Accel-Buffering': 'no', // a proxy in front must pass each event on at once
  });
  res.write(`retry: ${options.retryMs ?? DEFAULT_RETRY_MS}\n\n`);
  res.flushHeaders();
  const heartbeat = setInterval(() => {
    if (!res.destroyed && !res.writableEnded) res.write(': keep-alive\n\n');
  }, HEARTBEAT_MS);
  const stop = () => {
    clearInterval(heartbeat);
    controller.abort();
  };
  const end = () => {
    stop();
    if (!res.writableEnded) res.end();
  };
  // The response closes when the client goes (or after end()): what the route follows stops then.
  res.on('close', stop);
  return {
    send(event, data) {
      if (res.destroyed || res.writableEnded) return;
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      // write()'s false alone is normal under load; only a backlog this large means the client stalled.
      if (res.writableLength > maxBuffered) end();
    },
    signal: controller.signal,
    end,
  };
}
