// Raw HTTP helpers for preview tests: Node's fetch cannot send a Host header of our choice
// (nor resolve *.localhost), so these talk node:http to 127.0.0.1 with an explicit Host.
import http from 'node:http';
import type { Duplex } from 'node:stream';

/** A request that hangs (a dev server ignoring an upgrade) fails the test instead of its timeout. */
const TIMEOUT_MS = 30_000;

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawOptions {
  /** A keep-alive agent to send several requests on one connection; default a connection each. */
  agent?: http.Agent;
  method?: string;
  body?: string | Buffer;
}

/** An answer read to its end, its body as text. */
function readWhole(response: http.IncomingMessage): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () =>
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }),
    );
    response.on('error', reject);
  });
}

export function rawGet(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  { agent, method = 'GET', body }: RawOptions = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(path, baseUrl), { method, headers, agent: agent ?? false }, (response) =>
      readWhole(response).then(resolve, reject),
    );
    request.setTimeout(TIMEOUT_MS, () => request.destroy(new Error(`GET ${path}: no answer in ${TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** Opens an upgrade; resolves with the upgraded socket, or with the non-101 answer. */
export function rawUpgrade(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ socket: Duplex; head: Buffer } | RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(path, baseUrl), {
      method: 'GET',
      agent: false,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...headers,
      },
    });
    request.setTimeout(TIMEOUT_MS, () => request.destroy(new Error(`upgrade ${path}: no answer in ${TIMEOUT_MS} ms`)));
    request.on('upgrade', (_response, socket, head) => resolve({ socket, head }));
    request.on('response', (response) => readWhole(response).then(resolve, reject));
    request.on('error', reject);
    request.end();
  });
}

/** Writes `text` on an upgraded socket and resolves with what comes back (a raw echo, not WebSocket framing). */
export function echo(
  socket: Duplex,
  text: string,
  head: Buffer = Buffer.alloc(0),
  timeoutMs = 10_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = head.toString('utf8');
    const timer = setTimeout(() => reject(new Error(`no echo; got ${JSON.stringify(received)}`)), timeoutMs);
    const check = () => {
      if (received.includes(text)) {
        clearTimeout(timer);
        resolve(received);
      }
    };
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      check();
    });
    socket.write(text);
    check();
  });
}
