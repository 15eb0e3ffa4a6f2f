// A public deployment's connection as a layer-4 splice: once its first request head has named
// the deployment, that head (Berth's cookies and credentials stripped, as on every path) goes to a
// fresh connection to the container and from then on both sockets are piped both ways, with no
// parsing, no pooling, backpressure by pipe, for the connection's life. Whatever comes later on it
// reaches that same container only (never Berth, a preview or another deployment): a browser
// keeps one origin per connection, so that is the app the client asked for.
import type { Socket } from 'node:net';
import type { DeploymentHosts } from './deployment-hosts';
import { appRequestHead, requestFacts } from './head-rewrite';
import { headEnd, parseRequestHead, type RequestHead } from './http-framing';
import { CLIENT_IDLE_MS, type ServedConnection } from './browser-connection';
import { badRequestPage, pageBytes, type PageReply } from './preview-pages';
import type { ByteCounter } from './preview-proxy';

export interface SpliceDeps {
  hosts: DeploymentHosts;
  label: string;
  ideOrigin: string;
  count: ByteCounter;
  /** Nothing deployed there any more (a connect failed and the target read again is gone). */
  notFound: PageReply;
  unreachable: PageReply;
}

/** At shutdown, how long a spliced connection may take to say goodbye before it is destroyed. */
const SHUTDOWN_GRACE_MS = 250;

/** `buffered` holds the whole first head (takeOver checked) and whatever followed it. */
export function spliceToDeployment(client: Socket, buffered: Buffer, deps: SpliceDeps): ServedConnection {
  const served = { busy: true, done: false, shutdown: () => undefined as void };
  let upstream: Socket | undefined;
  const end = headEnd(buffered);
  let head: RequestHead | undefined;
  try {
    head = parseRequestHead(buffered.toString('latin1', 0, end - 4));
  } catch {
    // takeOver read the label from this very head: not expected, but never thrown into its promise.
  }
  const facts = head && requestFacts(head);
  // Two Host headers would let the check and the app read different ones (RFC 9112 §3.2: 400).
  if (!head || !facts || facts.hosts !== 1 || head.method === 'CONNECT') {
    served.done = true;
    client.end(pageBytes(badRequestPage, deps.ideOrigin, true));
    return served;
  }
  const first = Buffer.concat([Buffer.from(appRequestHead(head, facts), 'latin1'), buffered.subarray(end)]);
  client.pause();
  client.setNoDelay(true);
  deps.hosts.holdSpliced(deps.label, client);
  const ignore = () => undefined;
  client.on('error', ignore);
  client.once('close', () => {
    served.done = true;
    upstream?.destroy();
  });
  // Idle this long (no byte either way): closed, as the fast path closes an idle connection.
  client.setTimeout(CLIENT_IDLE_MS, () => client.destroy());
  served.shutdown = () => {
    client.end();
    setTimeout(() => client.destroy(), SHUTDOWN_GRACE_MS).unref();
  };
  deps.hosts.connect(deps.label).then(
    (socket) => {
      if (client.destroyed) return void socket.destroy();
      upstream = socket;
      pipeBothWays(client, socket, first, deps);
    },
    () => {
      if (client.destroyed) return;
      const page = deps.hosts.isServing(deps.label) ? deps.unreachable : deps.notFound;
      client.end(pageBytes(page, deps.ideOrigin, true));
    },
  );
  return served;
}

/**
 * The splice itself. An app that closes before any byte of an answer (a container going down
 * behind docker-proxy, which accepts and then hangs up) gets the 502 page rather than an empty reply.
 */
function pipeBothWays(client: Socket, upstream: Socket, first: Buffer, deps: SpliceDeps): void {
  let answered = false;
  const hangUp = () => {
    if (!answered && client.writable) client.end(pageBytes(deps.unreachable, deps.ideOrigin, true));
    else client.end();
  };
  upstream.write(first);
  upstream.on('data', (chunk: Buffer) => {
    answered = true;
    deps.count('downstream', chunk.length);
  });
  client.on('data', (chunk: Buffer) => deps.count('upstream', chunk.length));
  upstream.on('error', () => undefined);
  upstream.once('end', hangUp);
  // Reset without an end; a client that then never closes its side goes at the idle timeout.
  upstream.once('close', () => void (!client.writableEnded && hangUp()));
  client.once('close', () => upstream.destroy());
  upstream.pipe(client, { end: false });
  client.pipe(upstream);
  if (client.isPaused()) client.resume();
}
