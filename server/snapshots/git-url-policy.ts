// Which git URLs Berth will clone for a user: https only, no other protocols, and never a host
// that resolves to a private, loopback, link-local or otherwise internal address (the clone
// runs on Berth's network, so it must not become a way into it) — unless the host is listed in
// GIT_ALLOW_PRIVATE_HOSTS, which also allows plain http for it (lab and test set-ups). The
// checked address is pinned for the clone (no second DNS answer, no redirects).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { HttpError } from '../core/errors';

export interface CheckedGitUrl {
  url: string;
  host: string;
  port: number;
  /** The address the clone must use (git's http.curloptResolve). */
  address: string;
}

const refuse = (message: string) => new HttpError(400, 'bad_git_url', message);

export async function checkGitUrl(raw: string, allowPrivateHosts: readonly string[], resolve = defaultResolve): Promise<CheckedGitUrl> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('Not a URL; use https://host/owner/repo.git');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const listed = allowPrivateHosts.includes(host);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && listed)) throw refuse('Only https:// git URLs can be imported');
  if (!host) throw refuse('The URL has no host');
  const addresses = isIP(host) ? [host] : await resolve(host).catch(() => {
    throw refuse(`${host} does not resolve`);
  });
  if (addresses.length === 0) throw refuse(`${host} does not resolve`);
  const internal = addresses.find(isInternalAddress);
  if (internal && !listed) throw refuse(`${host} resolves to an internal address (${internal}); list it in GIT_ALLOW_PRIVATE_HOSTS to allow it`);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { url: url.toString(), host, port, address: addresses[0]! };
}

async function defaultResolve(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
}

/** Loopback, private, link-local, CGNAT, unspecified, multicast, reserved; IPv4-mapped IPv6 too. */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isInternalAddress(mapped[1]!);
  if (isIP(address) === 4) {
    const [a, b, c] = address.split('.').map(Number) as [number, number, number];
    return (
      a === 0 || a === 10 || a === 127 || a >= 224 ||
      (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) || (a === 192 && b === 0 && (c === 0 || c === 2)) || (a === 198 && (b === 18 || b === 19))
    );
  }
  const lower = address.toLowerCase();
  return lower === '::' || lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower) || lower.startsWith('ff') || lower.startsWith('64:ff9b:') || lower.startsWith('2001:db8');
}
