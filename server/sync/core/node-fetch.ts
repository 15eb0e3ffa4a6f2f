// The CLI's way to another Berth: a fetch-shaped call over node:http(s) that answers with the few
// fields RemoteApi reads (RemoteResponse), not a full Response. Node's global fetch, Response and
// Headers load undici on first use (~30 ms of a CLI start-up, more than a sync with nothing to do
// spends on the wire); plain node:http is already in. Like a Berth's own fetch
// (server/sync/remotes/remote-fetch.ts) it follows no redirect (a 3xx is an answer, which
// RemoteApi refuses) and does not inflate: RemoteApi asks for gzip itself and inflates JSON.
// Request bodies (blob uploads) and answers stream both ways. Pure Node: the CLI bundles it.
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** What RemoteApi reads of an answer: a part of fetch's Response (a Response is one). */
export interface RemoteResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  readonly body: ReadableStream<Uint8Array> | null;
}

/** A fetch as RemoteApi calls it; the global fetch and a Berth's guarded one are such calls too. */
export type RemoteFetch = (url: string, init: RequestInit) => Promise<RemoteResponse>;

// Kept-alive connections: a sync's calls go one after the other to one Berth. The agent unrefs
// an idle socket, so it never keeps the CLI's process alive.
const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

function headerGetter(headers: http.IncomingHttpHeaders): RemoteResponse['headers'] {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/** The request's headers as node:http takes them (never through `new Headers`: that loads undici). */
function requestHeaders(given: RequestInit['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!given) return headers;
  if (Array.isArray(given)) for (const [name, value] of given) headers[String(name)] = String(value);
  else if (typeof (given as Headers).forEach === 'function')
    (given as Headers).forEach((value, name) => (headers[name] = value));
  else for (const [name, value] of Object.entries(given)) headers[name] = String(value);
  return headers;
}

export const nodeFetch: RemoteFetch = (input, init) => {
  const url = new URL(input);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return Promise.reject(new TypeError(`fetch refused: ${url.protocol}`));
  const [client, agent] = url.protocol === 'https:' ? [https, agents.https] : [http, agents.http];
  const method = init.method ?? 'GET';
  const body = init.body;
  return new Promise<RemoteResponse>((resolve, reject) => {
    const outgoing = client.request(
      url,
      { method, headers: requestHeaders(init.headers), agent, signal: init.signal ?? undefined },
      (incoming) => {
        const status = incoming.statusCode ?? 502;
        const empty = method === 'HEAD' || [204, 205, 304].includes(status) || status < 200;
        if (empty) incoming.resume();
        resolve({
          ok: status >= 200 && status <= 299,
          status,
          statusText: incoming.statusMessage ?? '',
          headers: headerGetter(incoming.headers),
          body: empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>),
        });
      },
    );
    outgoing.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
    sendBody(outgoing, body, reject);
  });
};

/**
 * Sends a fetch-style request body (none, text, bytes or a web stream) on a node:http request;
 * any other kind is refused through `reject`. Shared with a Berth's own guarded fetch.
 */
export function sendBody(
  outgoing: http.ClientRequest,
  body: RequestInit['body'],
  reject: (error: Error) => void,
): void {
  if (body === undefined || body === null) outgoing.end();
  else if (typeof body === 'string' || body instanceof Uint8Array) outgoing.end(body);
  else if (body instanceof ReadableStream) {
    const source = Readable.fromWeb(body as WebReadableStream<Uint8Array>);
    source.on('error', (error) => outgoing.destroy(error));
    source.pipe(outgoing);
  } else {
    outgoing.destroy();
    reject(new TypeError('fetch: unsupported body type'));
  }
}
