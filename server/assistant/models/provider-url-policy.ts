// Which model-provider URLs a user may give Berth (issue 11). Berth's server calls the URL, so a
// user-supplied one must not become a way into Berth's network (SSRF): like git import's
// GIT_ALLOW_PRIVATE_HOSTS, a host that is or resolves to a private, loopback, link-local or
// otherwise internal address is refused unless it is listed in AI_ALLOW_PRIVATE_HOSTS. The two
// local model servers Berth itself probes (Ollama and LM Studio on localhost, exactly those base
// URLs) are allowed too: Berth offers them, and only their model APIs are reached through them.
// The admin's own AI_* settings are trusted and never pass through here.
//
// Checked twice: when the URL is saved (a clear field error), and on every connection through
// guardedFetch, whose DNS lookup refuses internal answers, so a host that later resolves
// elsewhere (DNS rebinding) or a redirect cannot reach what the first check refused.
import { lookup as dnsLookup } from 'node:dns';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { classifyAddress } from '../../transfer';

/** The local model servers Berth probes and offers when nothing is configured. */
export const LOCAL_OLLAMA_URL = 'http://localhost:11434';
export const LOCAL_LM_STUDIO_URL = 'http://localhost:1234/v1';
const OFFERED_LOCAL_URLS = new Set([LOCAL_OLLAMA_URL, LOCAL_LM_STUDIO_URL]);

export type ResolveHost = (host: string) => Promise<string[]>;

export class ProviderUrlRefused extends Error {}

/** The URL as Berth stores it: no trailing slashes. */
export function normalizeProviderUrl(raw: string): string {
  return raw.trim().replace(/\/+$/, '');
}

export function isOfferedLocalUrl(url: string): boolean {
  return OFFERED_LOCAL_URLS.has(normalizeProviderUrl(url));
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();

/** Throws ProviderUrlRefused (with the reason) when a user may not use `raw`. */
export async function checkProviderUrl(
  raw: string,
  allowPrivateHosts: readonly string[],
  resolve: ResolveHost = defaultResolve,
): Promise<void> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ProviderUrlRefused('Not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ProviderUrlRefused('Only http(s) URLs');
  const host = hostOf(url);
  if (!host) throw new ProviderUrlRefused('The URL has no host');
  if (isOfferedLocalUrl(raw) || allowPrivateHosts.includes(host)) return;
  const addresses = isIP(host)
    ? [host]
    : await resolve(host).catch(() => {
        throw new ProviderUrlRefused(`${host} does not resolve`);
      });
  if (addresses.length === 0) throw new ProviderUrlRefused(`${host} does not resolve`);
  const internal = addresses.find((address) => classifyAddress(address).internal);
  if (internal) throw new ProviderUrlRefused(internalMessage(host, internal));
}

function internalMessage(host: string, address: string): string {
  const { range, embedded } = classifyAddress(address);
  const what = embedded ? `${address}, which stands for ${embedded}: ${range}` : `${address}: ${range}`;
  return `${host} is an internal address (${what}); the admin can list it in AI_ALLOW_PRIVATE_HOSTS to allow it`;
}

async function defaultResolve(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
}

/**
 * A fetch for a user's provider: node:http(s) with a DNS lookup that refuses internal addresses
 * (unless the host is allowed), so the address checked is the address connected to. Redirects are
 * not followed. Enough of fetch for the AI SDK and the model listings (streamed bodies, abort).
 */
export function createGuardedFetch(allowPrivateHosts: readonly string[]): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const host = hostOf(url);
    const allowed =
      allowPrivateHosts.includes(host) ||
      [...OFFERED_LOCAL_URLS].some((offered) => request.url.startsWith(`${offered}/`));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`fetch refused: ${url.protocol}`);
    // A literal address is connected to without a lookup: check it here.
    if (isIP(host) && !allowed && classifyAddress(host).internal)
      throw new TypeError(`fetch refused: ${internalMessage(host, host)}`);
    const guardedLookup: LookupFunction = (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
        if (error) return callback(error, '', 4);
        const internal = allowed ? undefined : addresses.find((entry) => classifyAddress(entry.address).internal);
        if (internal) return callback(new Error(internalMessage(hostname, internal.address)), '', 4);
        if (options.all) return (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
        const first = addresses[0];
        if (!first) return callback(new Error(`${hostname} does not resolve`), '', 4);
        callback(null, first.address, first.family);
      });
    };
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const client = url.protocol === 'https:' ? https : http;
    return await new Promise<Response>((resolve, reject) => {
      const outgoing = client.request(
        url,
        { method: request.method, headers, lookup: guardedLookup, signal: request.signal },
        (incoming) => {
          const responseHeaders = new Headers();
          for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2)
            responseHeaders.append(incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!);
          const status = incoming.statusCode ?? 502;
          const empty = request.method === 'HEAD' || [204, 205, 304].includes(status);
          if (empty) incoming.resume();
          resolve(
            new Response(empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>), {
              status,
              statusText: incoming.statusMessage,
              headers: responseHeaders,
            }),
          );
        },
      );
      outgoing.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
      outgoing.end(body);
    });
  };
}
