// A byte pipe to the app on a workspace port. An app that listens on all interfaces (Next.js,
// `vite --host`, most servers in a container) is reached at the container's own address, one hop
// fewer; one bound only to localhost through the agent's tunnel (agent-tunnel.ts). Which of the two
// a (workspace, port) needs is learnt from a connect and kept, so the probe is not paid per connection.
import { connect, type Socket } from 'node:net';
import { openTunnel, type AgentTarget } from './agent-tunnel';

/** A port that refused a direct connect is tunnelled for this long before the direct way is tried again. */
const TUNNEL_FOR_MS = 30_000;
const DIRECT_CONNECT_TIMEOUT_MS = 1000;

const hosts = new Map<string, string>();
const tunnelUntil = new Map<string, number>();

function hostOf(url: string): string {
  let host = hosts.get(url);
  if (host === undefined) {
    host = new URL(url).hostname;
    if (hosts.size > 1000) hosts.clear();
    hosts.set(url, host);
  }
  return host;
}

function connectDirect(host: string, port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, DIRECT_CONNECT_TIMEOUT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', refused);
      socket.setNoDelay(true);
      resolve(socket);
    });
    const refused = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    };
    socket.once('error', refused);
  });
}

/** `key` names the (workspace, port) for the memory of which way it takes. */
export async function openAppConnection(target: AgentTarget, port: number, key: string): Promise<Socket> {
  // Only the runtime's own statement of the container's address: never a guess from `url`, which
  // may be a port published on Berth's host (where this port could be anything of the host's).
  if (target.directUrl && (tunnelUntil.get(key) ?? 0) <= Date.now()) {
    const socket = await connectDirect(hostOf(target.directUrl), port);
    if (socket) return socket;
    if (tunnelUntil.size > 10_000) tunnelUntil.clear();
    tunnelUntil.set(key, Date.now() + TUNNEL_FOR_MS);
  }
  return openTunnel(target, port);
}
