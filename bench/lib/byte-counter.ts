// A TCP pipe in this process that counts the bytes each way: put between a sync client and a
// Berth, it measures what the sync really puts on the wire (HTTP headers, JSON, frames, gzip),
// not what the code thinks it sends.
import net from 'node:net';
import type { Defer } from './cleanup';

export interface ByteCounter {
  /** http://127.0.0.1:<port>, leading to the upstream. */
  url: string;
  /** Bytes client → upstream since the last reset. */
  sent(): number;
  /** Bytes upstream → client since the last reset. */
  received(): number;
  reset(): void;
}

export async function startByteCounter(upstreamPort: number, defer: Defer): Promise<ByteCounter> {
  let sent = 0;
  let received = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', (chunk: Buffer) => (sent += chunk.length));
    upstream.on('data', (chunk: Buffer) => (received += chunk.length));
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  defer('close the byte counter', async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent: () => sent,
    received: () => received,
    reset: () => {
      sent = 0;
      received = 0;
    },
  };
}
