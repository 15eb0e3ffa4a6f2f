// Which Host names the IDE answers on (DNS-rebinding defence): BERTH_URL's host and the extra
// names in BERTH_ALLOWED_HOSTS. Other loopback spellings of Berth's own address
// (127.0.0.1:3000 when BERTH_URL says localhost:3000) are aliases: pages redirect to BERTH_URL
// and the API answers (a rebinding page never has a loopback Host). Everything else is refused
// (421), except the health probes, which orchestrators send with an address as Host.
import type { IncomingMessage } from 'node:http';

export type HostVerdict = 'ide' | 'loopback-alias' | 'refused';

export interface HostPolicyOptions {
  berthUrl: string;
  /** BERTH_ALLOWED_HOSTS: `name` (any port) or `name:port`. */
  allowedHosts: readonly string[];
  /** The port Berth listens on. */
  listenPort: number;
}

const LOOPBACK_NAMES = new Set(['localhost', '[::1]', '[0:0:0:0:0:0:0:1]']);
const isLoopbackName = (name: string) =>
  LOOPBACK_NAMES.has(name) || /^127(\.\d{1,3}){3}$/.test(name) || name.endsWith('.localhost');

/** `name` and `port` of a Host header value ('' port when none); null when malformed. */
export function splitHost(host: string): { name: string; port: string } | null {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(host.trim());
  return match ? { name: match[1]!.toLowerCase(), port: match[2] ?? '' } : null;
}

export function createHostPolicy({ berthUrl, allowedHosts, listenPort }: HostPolicyOptions) {
  const url = new URL(berthUrl);
  const ownPort = url.port || (url.protocol === 'https:' ? '443' : '80');
  const ideHost = url.host.toLowerCase();
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  const extra = allowedHosts.map((entry) => splitHost(entry)).filter((entry) => entry !== null);
  const loopbackPorts = new Set([ownPort, String(listenPort)]);

  return (req: IncomingMessage): HostVerdict => {
    const raw = req.headers.host;
    if (!raw) return 'refused';
    const host = raw.toLowerCase();
    if (host === ideHost) return 'ide';
    const parts = splitHost(host);
    if (!parts) return 'refused';
    const port = parts.port || defaultPort;
    if (parts.name === url.hostname.toLowerCase() && port === ownPort) return 'ide';
    if (extra.some((entry) => entry.name === parts.name && (entry.port === '' || entry.port === port))) return 'ide';
    if (isLoopbackName(parts.name) && parts.port !== '' && loopbackPorts.has(parts.port)) return 'loopback-alias';
    return 'refused';
  };
}
