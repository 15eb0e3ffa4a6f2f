// An upgraded preview connection (HMR's WebSocket) once the app has answered 101: a plain pipe
// both ways, its bytes counted, each side closed with the other.
import type { Socket } from 'node:net';
import type { ByteCounter } from './preview-proxy';

/** `pending` is what the browser sent after its upgrade request, already read. */
export function pipeUpgraded(client: Socket, tunnel: Socket, pending: Buffer, count: ByteCounter): void {
  if (pending.length > 0) tunnel.write(pending);
  tunnel.on('data', (chunk: Buffer) => count('downstream', chunk.length));
  client.on('data', (chunk: Buffer) => count('upstream', chunk.length));
  tunnel.on('error', () => client.destroy());
  client.on('close', () => tunnel.destroy());
  tunnel.on('close', () => client.destroy());
  tunnel.pipe(client);
  client.pipe(tunnel);
  if (client.isPaused()) client.resume();
}
