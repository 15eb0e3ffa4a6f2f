// Which git URLs Berth will clone for a user: https only, no other protocols, and never a host
// that resolves to a private, loopback, link-local or otherwise internal address (the clone
// runs on Berth's network, so it must not become a way into it) — unless the host is listed in
// GIT_ALLOW_PRIVATE_HOSTS, which also allows plain http for it (lab and test set-ups). The
// checked address is pinned for the clone (no second DNS answer, no redirects).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { DomainError } from '../core/errors';
import { classifyAddress } from './address-range';

export { isInternalAddress } from './address-range';

export interface CheckedGitUrl {
  url: string;
  host: string;
  port: number;
  /** The address the clone must use (git's http.curloptResolve). */
  address: string;
}

const refuse = (message: string) => new DomainError('bad_request', 'bad_git_url', message);

export async function checkGitUrl(
  raw: string,
  allowPrivateHosts: readonly string[],
  resolve = defaultResolve,
): Promise<CheckedGitUrl> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('Not a URL; use https://host/owner/repo.git');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const listed = allowPrivateHosts.includes(host);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && listed))
    throw refuse('Only https:// git URLs can be imported');
  if (!host) throw refuse('The URL has no host');
  const addresses = isIP(host)
    ? [host]
    : await resolve(host).catch(() => {
        throw refuse(`${host} does not resolve`);
      });
  if (addresses.length === 0) throw refuse(`${host} does not resolve`);
  const internal = addresses.find((address) => classifyAddress(address).internal);
  if (internal && !listed) {
    const { range, embedded } = classifyAddress(internal);
    const what = embedded ? `${internal}, which stands for ${embedded}: ${range}` : `${internal}: ${range}`;
    throw refuse(`${host} resolves to an internal address (${what}); list it in GIT_ALLOW_PRIVATE_HOSTS to allow it`);
  }
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { url: url.toString(), host, port, address: addresses[0]! };
}

async function defaultResolve(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
}
