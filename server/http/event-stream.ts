// Server-Sent Events framing (text/event-stream) for a route that streams: named events with a
// JSON data line, a comment now and then so proxies keep a quiet stream, and a signal that aborts
// when the client goes (the route stops what it follows then).
import type { ServerResponse } from 'node:http';

/** How often a quiet stream gets a comment line. */
const HEARTBEAT_MS = 15_000;

export interface EventStream {
  send(event: string, data: unknown): void;
  /** Aborts when the client closes the connection (or end() was called). */
  signal: AbortSignal;
  end(): void;
}

export function openEventStream(res: ServerResponse): EventStream {
  const controller = new AbortController();
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Accel-Buffering': 'no', // a proxy in front must pass each event on at once
  });
  res.flushHeaders();
  const heartbeat = setInterval(() => {
    if (!res.destroyed && !res.writableEnded) res.write(': keep-alive\n\n');
  }, HEARTBEAT_MS);
  const stop = () => {
    clearInterval(heartbeat);
    controller.abort();
  };
  // The response closes when the client goes (or after end()): what the route follows stops then.
  res.on('close', stop);
  return {
    send(event, data) {
      if (res.destroyed || res.writableEnded) return;
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    signal: controller.signal,
    end() {
      stop();
      if (!res.writableEnded) res.end();
    },
  };
}
