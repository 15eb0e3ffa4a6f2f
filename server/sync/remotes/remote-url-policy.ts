// Which remote Berth URLs a user may add (issue 18). Berth's server connects to the URL with the
// user's token, so a user-chosen URL must not become a way into Berth's own network (SSRF): like
// git import's GIT_ALLOW_PRIVATE_HOSTS (server/transfer/git-url-policy.ts), https only, and a host
// that is or resolves to a private, loopback, link-local or otherwise internal address is refused
// unless listed in SYNC_ALLOW_PRIVATE_HOSTS (which also allows plain http for it: a team Berth on
// the LAN, tests on loopback). This Berth itself is always allowed (its own API, the user's own
// token: nothing the user could not do directly). No user name or password in the URL, no query.
// Checked when the remote is added and again before every use (a name that resolves elsewhere
// later is refused then); the connection itself also refuses internal answers (remote-fetch.ts).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { DomainError } from '../../core/errors';
import { classifyAddress } from '../../transfer';

export interface RemoteUrlPolicy {
  /** Hosts (lower case) allowed although internal, over http too (SYNC_ALLOW_PRIVATE_HOSTS). */
  allowPrivateHosts: readonly string[];
  /** This Berth's own origins (BERTH_URL's, and loopback on the port it listens on). */
  selfOrigins: readonly string[];
}

export type ResolveHost = (host: string) => Promise<string[]>;

export const refuseRemoteUrl = (message: string) =>
  new DomainError('bad_request', 'bad_remote_url', message, { fieldErrors: { url: [message] } });

export const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();

/** The base URL as stored: origin plus path, no trailing slash, no query or fragment. */
export function normalizeRemoteUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw refuseRemoteUrl('Not a URL; use the address you open that Berth at, e.g. https://berth.example.com');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuseRemoteUrl('Only http(s) URLs');
  if (url.username || url.password) throw refuseRemoteUrl('Put the token in the token field, not in the URL');
  if (url.search || url.hash) throw refuseRemoteUrl('The URL takes no query or fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Whether the host may be connected to although internal (listed, or this Berth itself). */
export function isAllowedInternal(url: URL, policy: RemoteUrlPolicy): boolean {
  return policy.allowPrivateHosts.includes(hostOf(url)) || policy.selfOrigins.includes(url.origin);
}

/** Throws a 400 (bad_remote_url, with the reason) when a user may not sync with `raw`; else its normal form. */
export async function checkRemoteUrl(
  raw: string,
  policy: RemoteUrlPolicy,
  resolve: ResolveHost = defaultResolve,
): Promise<string> {
  const normalized = normalizeRemoteUrl(raw);
  const url = new URL(normalized);
  const host = hostOf(url);
  if (!host) throw refuseRemoteUrl('The URL has no host');
  const allowed = isAllowedInternal(url, policy);
  if (url.protocol !== 'https:' && !allowed)
    throw refuseRemoteUrl(
      'Only https:// remotes (the token travels with every request); an admin can allow plain http for a host in SYNC_ALLOW_PRIVATE_HOSTS',
    );
  if (allowed) return normalized;
  const addresses = isIP(host)
    ? [host]
    : await resolve(host).catch(() => {
        throw refuseRemoteUrl(`${host} does not resolve`);
      });
  if (addresses.length === 0) throw refuseRemoteUrl(`${host} does not resolve`);
  const internal = addresses.find((address) => classifyAddress(address).internal);
  if (internal) throw refuseRemoteUrl(internalAddressMessage(host, internal));
  return normalized;
}

export function internalAddressMessage(host: string, address: string): string {
  const { range, embedded } = classifyAddress(address);
  const what = embedded ? `${address}, which stands for ${embedded}: ${range}` : `${address}: ${range}`;
  return `${host} resolves to an internal address (${what}); an admin can list it in SYNC_ALLOW_PRIVATE_HOSTS to allow it`;
}

async function defaultResolve(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
}
