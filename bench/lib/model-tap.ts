// A TCP tap between Berth and the scripted model server, in the bench process: the bytes pass
// unchanged (no HTTP parsing), and every chunk the model sends is shown to listeners with the
// moment it passed — the provider's own send time as Berth's socket receives it, on the bench's
// clock; and Berth's requests likewise (when a turn's model call left Berth). Berth is pointed at
// the tap (AI_OPENAI_BASE_URL = tap.baseUrl).
import net from 'node:net';
import type { Defer } from './cleanup';

/**
 * `text` is the chunk with the end of the previous one before it (a marker split across two chunks
 * is seen whole): its first `carried` characters were shown before.
 */
export type TapListener = (text: string, at: number, carried: number) => void;
/** 'answer': what the model sends; 'request': what Berth sends the model. */
export type TapDirection = 'answer' | 'request';

export interface ModelTap {
  /** The upstream base URL with the tap's port (same path, e.g. …/v1). */
  baseUrl: string;
  /** Listens to one direction until the returned function is called. */
  listen(listener: TapListener, direction?: TapDirection): () => void;
}

/** Characters of the previous chunk repeated before the next one. */
const CARRY = 128;

export async function startModelTap(upstreamBaseUrl: string, defer: Defer): Promise<ModelTap> {
  const upstream = new URL(upstreamBaseUrl);
  const [modelHost, modelPort] = [upstream.hostname, Number(upstream.port)];
  const listeners: Record<TapDirection, Set<TapListener>> = { answer: new Set(), request: new Set() };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const model = net.connect(modelPort, modelHost);
    for (const socket of [client, model]) {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    forward(model, client, listeners.answer);
    forward(client, model, listeners.request);
    model.on('end', () => client.end());
    client.on('error', () => model.destroy());
    model.on('error', () => client.destroy());
    client.on('close', () => model.destroy());
    model.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  defer('close the model tap', async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  upstream.port = String(port);
  return {
    baseUrl: upstream.href.replace(/\/$/, ''),
    listen(listener, direction = 'answer') {
      listeners[direction].add(listener);
      return () => void listeners[direction].delete(listener);
    },
  };
}

/** Resolves with the time the first chunk containing `needle` passed the tap (bench clock), one way. */
/** Copies `from` to `to`, showing each chunk (with the end of the previous one) to `listeners`. */
function forward(from: net.Socket, to: net.Socket, listeners: Set<TapListener>): void {
  let carry = '';
  from.on('data', (chunk: Buffer) => {
    const at = performance.now();
    to.write(chunk);
    if (listeners.size === 0) return;
    const text = carry + chunk.toString('utf8');
    const carried = carry.length;
    carry = text.slice(-CARRY);
    for (const listener of listeners) listener(text, at, carried);
  });
}

export function tapSees(
  tap: ModelTap,
  needle: string,
  timeoutMs: number,
  direction: TapDirection = 'answer',
): Promise<number> {
  const seen = new Promise<number>((resolve, reject) => {
    const stop = tap.listen((text, at) => {
      if (!text.includes(needle)) return;
      stop();
      clearTimeout(timer);
      resolve(at);
    }, direction);
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no ${JSON.stringify(needle)} passed the tap (${direction}) within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  // Awaited later (or not at all once the bench failed elsewhere): never an unhandled rejection.
  seen.catch(() => undefined);
  return seen;
}
