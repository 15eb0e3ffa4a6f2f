// The SSE stream on loopback: a client that stops reading is not buffered for without bound (the
// stream ends once its unsent backlog passes maxBufferedBytes, aborting the source's signal);
// the retry line comes first; a reading client gets every event.
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openEventStream, type EventStream } from './event-stream';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A server whose one route opens a stream with these options and hands it to `onStream`. */
async function listen(onStream: (stream: EventStream) => void, maxBufferedBytes?: number): Promise<number> {
  server = createServer((_req, res) =>
    onStream(openEventStream(res, { retryMs: 7000, ...(maxBufferedBytes ? { maxBufferedBytes } : {}) })),
  );
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('openEventStream', () => {
  it('ends the stream of a client that stopped reading once its backlog passes the cap', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    // Without the cap the source would queue without end: the test gives up here instead.
    const giveUp = 128 * 1024 * 1024;
    let sent = 0;
    const ended = new Promise<void>((resolve) => {
      void listen((stream) => {
        stream.signal.addEventListener('abort', () => resolve(), { once: true });
        const pump = () => {
          if (stream.signal.aborted) return;
          if (sent >= giveUp) return resolve();
          stream.send('log', { text: chunk });
          sent += chunk.length;
          setImmediate(pump);
        };
        pump();
      }, 256 * 1024).then((port) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
          socket.pause(); // never reads: the kernel's buffers fill, then Node's
        });
        socket.on('error', () => undefined);
      });
    });
    await ended;
    // Bounded by the kernel's socket buffers plus the cap, far below what an unbounded source would queue.
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('sends the retry line first, then each event, to a client that reads', async () => {
    const port = await listen((stream) => {
      stream.send('log', { text: 'one' });
      stream.send('end', { reason: 'stopped' });
      stream.end();
    });
    const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(body).toBe('retry: 7000\n\nevent: log\ndata: {"text":"one"}\n\nevent: end\ndata: {"reason":"stopped"}\n\n');
  });
});
