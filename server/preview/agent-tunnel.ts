// Opens a preview tunnel to a workspace agent (contracts/preview.ts): TCP to the agent's port,
// the CONNECT preamble with the secret and the port, and its answer. A 200 leaves a socket that
// is a byte pipe to 127.0.0.1:<port> in the container; anything else is a TunnelError. The
// agent's direct address is tried first when there is one (no docker-proxy copying every byte
// again); one that cannot be reached is skipped for a minute.
import { connect, type Socket } from 'node:net';
import { tunnelRequest } from '../contracts';

export interface AgentTarget {
  /** e.g. http://127.0.0.1:49153 */
  url: string;
  secret: string;
  /** e.g. http://172.18.0.2:7777: the container's own address, when Berth may reach it. */
  directUrl?: string;
}

export const TUNNEL_OPEN_TIMEOUT_MS = 10_000;
/** A direct address that does not accept within this is taken as unreachable from here. */
const DIRECT_CONNECT_TIMEOUT_MS = 1000;
const DIRECT_RETRY_AFTER_MS = 60_000;
const MAX_ANSWER_BYTES = 16 * 1024;

/** port_closed: the agent answered that nothing listens on the port; unreachable: no usable answer. */
export class TunnelError extends Error {
  constructor(
    readonly code: 'port_closed' | 'unreachable',
    message: string,
  ) {
    super(message);
  }
}

/** The TCP connection itself failed (nothing was sent): another address may do. */
class NoConnection extends TunnelError {}

const unreachableUntil = new Map<string, number>();

export async function openTunnel(
  target: AgentTarget,
  port: number,
  timeoutMs = TUNNEL_OPEN_TIMEOUT_MS,
): Promise<Socket> {
  const direct = target.directUrl;
  if (direct && (unreachableUntil.get(direct) ?? 0) <= Date.now()) {
    try {
      return await tunnelVia(direct, target.secret, port, timeoutMs, DIRECT_CONNECT_TIMEOUT_MS);
    } catch (error) {
      if (!(error instanceof NoConnection)) throw error;
      if (unreachableUntil.size > 1000) unreachableUntil.clear();
      unreachableUntil.set(direct, Date.now() + DIRECT_RETRY_AFTER_MS);
    }
  }
  return tunnelVia(target.url, target.secret, port, timeoutMs, timeoutMs);
}

const addresses = new Map<string, { host: string; port: number }>();

/** The agent's host and port from its URL (parsed once per URL). */
function addressOf(url: string): { host: string; port: number } {
  let address = addresses.get(url);
  if (!address) {
    const parsed = new URL(url);
    address = { host: parsed.hostname, port: Number(parsed.port) };
    if (addresses.size > 1000) addresses.clear();
    addresses.set(url, address);
  }
  return address;
}

function tunnelVia(
  url: string,
  secret: string,
  port: number,
  timeoutMs: number,
  connectTimeoutMs: number,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(addressOf(url));
    socket.setNoDelay(true);
    let answer: Buffer = Buffer.alloc(0);
    let settled = false;
    let connected = false;
    const fail = (error: TunnelError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(connectTimer);
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(() => fail(new TunnelError('unreachable', 'The agent did not answer in time')), timeoutMs);
    const connectTimer = setTimeout(() => {
      if (!connected) fail(new NoConnection('unreachable', `No connection to the agent at ${url}`));
    }, connectTimeoutMs);
    socket.once('connect', () => {
      connected = true;
      clearTimeout(connectTimer);
    });
    socket.write(tunnelRequest(port, secret));
    const onData = (chunk: Buffer) => {
      answer = answer.length === 0 ? chunk : Buffer.concat([answer, chunk]);
      const end = answer.indexOf('\r\n\r\n');
      if (end < 0) {
        if (answer.length > MAX_ANSWER_BYTES) fail(new TunnelError('unreachable', 'The agent answered nonsense'));
        return;
      }
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer.toString('latin1', 0, end))?.[1];
      if (status !== '200') {
        // A refusal: its small JSON body says why; the agent closes after it.
        socket.off('data', onData);
        readRefusal(socket, answer.subarray(end + 4), status ?? '?', fail);
        return;
      }
      settled = true;
      clearTimeout(timer);
      clearTimeout(connectTimer);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      const rest = answer.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    const onError = (error: Error) =>
      fail(
        connected
          ? new TunnelError('unreachable', `The agent is unreachable: ${error.message}`)
          : new NoConnection('unreachable', `No connection to the agent at ${url}: ${error.message}`),
      );
    const onClose = () => fail(new TunnelError('unreachable', 'The agent closed the connection'));
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}

function readRefusal(socket: Socket, start: Buffer, status: string, fail: (error: TunnelError) => void): void {
  let body = start.toString('utf8');
  socket.setEncoding('utf8');
  socket.on('data', (text: string) => {
    if (body.length < MAX_ANSWER_BYTES) body += text;
  });
  socket.once('end', () => {
    const closed = status === '502' && body.includes('"port_closed"');
    fail(new TunnelError(closed ? 'port_closed' : 'unreachable', `The agent refused the tunnel (${status})`));
  });
}
