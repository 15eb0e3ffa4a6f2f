// The fetch a remote Berth is reached with: node:http(s) with a DNS lookup that refuses internal
// addresses (unless the host is allowed: SYNC_ALLOW_PRIVATE_HOSTS, or this Berth itself), so the
// address checked is the address connected to. checkRemoteUrl runs first (a clear 400 when the
// remote is added and before each use); this closes the gap between that check's lookup and the
// connection's own (DNS rebinding: a name that answers a public address, then an internal one).
// Redirects are not followed; request bodies (blob uploads) and answers stream both ways.
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { classifyAddress } from '../../transfer';
import { sendBody } from '../core/node-fetch';
import { hostOf, internalAddressMessage, isAllowedInternal, type RemoteUrlPolicy } from './remote-url-policy';

export function createRemoteFetch(policy: RemoteUrlPolicy): typeof fetch {
  // Agents of its own: a kept-alive connection is reused only by requests under this policy
  // (whose lookup admitted its address), never by someone else's.
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  return async (input, init = {}) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`fetch refused: ${url.protocol}`);
    const host = hostOf(url);
    const allowed = isAllowedInternal(url, policy);
    // A literal address is connected to without a lookup: check it here.
    if (isIP(host) && !allowed && classifyAddress(host).internal)
      throw new TypeError(`fetch refused: ${internalAddressMessage(host, host)}`);
    const guardedLookup: LookupFunction = (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
        if (error) return callback(error, '', 4);
        const internal = allowed ? undefined : addresses.find((entry) => classifyAddress(entry.address).internal);
        if (internal) return callback(new Error(internalAddressMessage(hostname, internal.address)), '', 4);
        if (options.all) return (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
        const first = addresses[0];
        if (!first) return callback(new Error(`${hostname} does not resolve`), '', 4);
        callback(null, first.address, first.family);
      });
    };
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    const body = init.body;
    const [client, agent] = url.protocol === 'https:' ? [https, agents.https] : [http, agents.http];
    const method = init.method ?? 'GET';
    return await new Promise<Response>((resolve, reject) => {
      const outgoing = client.request(
        url,
        { method, headers, agent, lookup: guardedLookup, signal: init.signal ?? undefined },
        (incoming) => {
          const responseHeaders = new Headers();
          for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2)
            responseHeaders.append(incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!);
          const status = incoming.statusCode ?? 502;
          const empty = method === 'HEAD' || [204, 205, 304].includes(status) || status < 200;
          if (empty) incoming.resume();
          resolve(
            new Response(empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>), {
              status: status < 200 || status > 599 ? 502 : status,
              statusText: incoming.statusMessage,
              headers: responseHeaders,
            }),
          );
        },
      );
      outgoing.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
      sendBody(outgoing, body, reject);
    });
  };
}
