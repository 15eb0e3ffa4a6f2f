// A graceful close does not wait on a WebSocket peer that never answers the close handshake
// (ws would give it 30 s; `docker stop` kills after 10): Berth's close ends upgraded sockets.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/api-test-server';

let berth: TestServer;
let peer: Socket | undefined;

beforeAll(async () => {
  berth = await startTestServer();
}, 120_000);

afterAll(async () => {
  peer?.destroy();
  await berth?.stop();
});

/** Opens Socket.IO's WebSocket by hand and then goes silent: it reads, but never answers. */
async function silentWebSocket(baseUrl: string): Promise<Socket> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(
    [
      'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1',
      `Host: ${hostname}:${port}`,
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      '',
      '',
    ].join('\r\n'),
  );
  const head = await new Promise<string>((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))));
  expect(head).toMatch(/^HTTP\/1\.1 101/);
  return socket;
}

it('closes without waiting for a WebSocket peer that never completes the close handshake', async () => {
  peer = await silentWebSocket(berth.baseUrl);
  const ended = new Promise<void>((resolve) => peer!.once('close', () => resolve()));

  const started = performance.now();
  await berth.server.close({ graceful: true });
  const tookMs = performance.now() - started;

  await ended; // the server let go of the socket
  // ws alone would hold the close for 30 s; the drain's own limit is 5 s.
  expect(tookMs).toBeLessThan(4_000);
}, 60_000);
