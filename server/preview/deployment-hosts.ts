// Deployment hosts, d-<projectId>-<env>.<PREVIEW_DOMAIN> (issue 14): a request goes to the
// environment's live deployment. Where it answers is read on each new connection (and again
// after a failed connect: a restarted container answers on a new port). A public deployment's
// connection is spliced to the container after its first head (deployment-splice.ts: no
// per-request work; read again every few seconds while open, ended once private or gone); a
// private one, and the sign-in hand-off /__berth/auth, is served on node:http
// (deployment-http.ts), where each request's access cookie is checked. Nothing there, stopped,
// unknown, or private without the owner's cookie: the same 404 page, so nobody learns whether a
// private one exists.
import { connect, type Socket } from 'node:net';
import { DEPLOY_AUTH_PATH } from '../contracts';
import type { Duplex } from 'node:stream';
import { requestFacts } from './head-rewrite';
import { headEnd, parseRequestHead } from './http-framing';
import { parsePreviewHost } from './preview-host';
import { DeploymentTargets } from './deployment-targets';

/** What it needs of deployments (DeployService.deploymentTarget and its access tokens). */
export interface DeploymentLookup {
  /** The environment's live deployment, or null. */
  target(label: string): Promise<{
    endpoint: { url: string; directUrl?: string };
    private: boolean;
    ownerId: string;
  } | null>;
  access: {
    /** Async: each asks whether the Berth session the access was handed to still lives. */
    redeem(token: string, label: string): Promise<{ userId: string; cookie: string; maxAgeSeconds: number } | null>;
    userOf(cookieHeader: string | undefined, label: string): Promise<string | null>;
    setCookie(value: string, maxAgeSeconds: number, secure: boolean): string;
  };
  /** Tells when an environment turns private or public, so what was read of it is not used again. */
  onDidChangeAccess?(listener: (change: { label: string; private: boolean }) => void): void;
}

export interface ResolvedDeployment {
  label: string;
  private: boolean;
  ownerId: string;
  /** Where it answers, in the order to try: the container's own address (skips docker-proxy), then the published port. */
  addresses: { host: string; port: number }[];
  /** When it was read: a connection reads it again after FRESH_MS. */
  at: number;
}

/** How long a connection trusts what it read (a switch to private, a stop, are seen after this). */
const FRESH_MS = 5000;
const CONNECT_TIMEOUT_MS = 1000;

export class DeploymentHosts {
  /** Per connection: what its latest read said. */
  private readonly bySocket = new WeakMap<Duplex, ResolvedDeployment | null>();
  /** Per label: the latest read (connects use it, so a re-read after a restart helps every connection). */
  private readonly latest = new Map<string, ResolvedDeployment>();

  /** Spliced connections per label (deployment-splice.ts), read again every FRESH_MS while any is open. */
  private readonly spliced = new Map<string, Set<Duplex>>();
  private recheckTimer: NodeJS.Timeout | undefined;
  private readonly targets: DeploymentTargets;

  constructor(
    readonly lookup: DeploymentLookup,
    /** PREVIEW_DOMAIN. */
    private readonly domain: string,
  ) {
    this.targets = new DeploymentTargets((label) => lookup.target(label));
    lookup.onDidChangeAccess?.(({ label, private: isPrivate }) => {
      this.targets.forget(label);
      // Turned private: its open public connections end now, not at the next recheck.
      if (isPrivate) for (const connection of this.spliced.get(label) ?? []) connection.destroy();
    });
  }

  /**
   * A connection the fast path handed off at a request (`buffered`, its head first): when it names
   * a deployment host, its target is read now; a public one is spliced (`serve`), anything else
   * goes to node:http (`handOff`), where private ones, the hand-off and 404s are answered.
   */
  takeOver(
    socket: Socket,
    buffered: Buffer,
    serve: (socket: Socket, buffered: Buffer, label: string) => void,
    handOff: (socket: Socket, buffered: Buffer) => void,
  ): void {
    const label = this.labelOf(buffered);
    if (label === null) return handOff(socket, buffered);
    // Nothing is read from it meanwhile (no listener would take the bytes).
    socket.pause();
    const ignore = () => undefined;
    socket.on('error', ignore);
    this.resolve(socket, label).then(
      (resolved) => {
        socket.off('error', ignore);
        if (socket.destroyed) return;
        socket.resume();
        if (resolved && !resolved.private && !pathIsAuth(buffered)) serve(socket, buffered, label);
        else handOff(socket, buffered);
      },
      () => {
        socket.off('error', ignore);
        socket.resume();
        handOff(socket, buffered);
      },
    );
  }

  /** The deployment label the buffered request head names, or null. */
  private labelOf(buffered: Buffer): string | null {
    const end = headEnd(buffered);
    if (end < 0) return null;
    try {
      const host = parsePreviewHost(
        requestFacts(parseRequestHead(buffered.toString('latin1', 0, end - 4))).host,
        this.domain,
      );
      return host.kind === 'deployment' ? host.label : null;
    } catch {
      return null;
    }
  }

  /** Reads the target for this connection now (a new connection, or its read went stale). */
  async resolve(socket: Duplex, label: string): Promise<ResolvedDeployment | null> {
    const found = await this.targets.get(label);
    const resolved = found ? toResolved(label, found) : null;
    if (resolved) this.latest.set(label, resolved);
    else this.latest.delete(label);
    this.bySocket.set(socket, resolved);
    return resolved;
  }

  /** What this connection knows of `label` if still fresh; undefined = read it (resolve). */
  known(socket: Duplex, label: string): ResolvedDeployment | null | undefined {
    if (!this.bySocket.has(socket)) return undefined;
    const known = this.bySocket.get(socket) ?? null;
    if (known === null) return undefined;
    if (known.label !== label || Date.now() - known.at > FRESH_MS) return undefined;
    return known;
  }

  /** A connection to `label`'s deployment; after a failed connect, read once more and retry. */
  async connect(label: string): Promise<Socket> {
    // A read at most a second old (never an address kept longer: a removed container's address
    // may soon belong to another deployment).
    const current = await this.targets.get(label);
    if (current) {
      const socket = await connectFirst(toResolved(label, current).addresses);
      if (socket) return socket;
    }
    const found = await this.targets.refresh(label);
    if (!found) this.latest.delete(label);
    if (found) {
      const again = toResolved(label, found);
      this.latest.set(label, again);
      const socket = await connectFirst(again.addresses);
      if (socket) return socket;
    }
    throw new Error('The deployment did not answer');
  }

  /**
   * A spliced connection to `label`'s public deployment: while it is open, the target is read
   * again every FRESH_MS and, once it is private or nothing is live there, the connection ends —
   * a switch to private or a stop is seen as soon as on the per-request path.
   */
  holdSpliced(label: string, connection: Duplex): void {
    let held = this.spliced.get(label);
    if (!held) this.spliced.set(label, (held = new Set()));
    const connections = held;
    connections.add(connection);
    connection.once('close', () => {
      connections.delete(connection);
      if (connections.size === 0 && this.spliced.get(label) === connections) this.spliced.delete(label);
    });
    if (!this.recheckTimer) {
      this.recheckTimer = setInterval(() => void this.recheckSpliced(), FRESH_MS);
      this.recheckTimer.unref();
    }
  }

  private async recheckSpliced(): Promise<void> {
    if (this.spliced.size === 0) {
      clearInterval(this.recheckTimer);
      this.recheckTimer = undefined;
      return;
    }
    for (const [label, connections] of [...this.spliced]) {
      const found = await this.targets.get(label).catch(() => undefined);
      // A failed read (database down) leaves them be; a private or gone deployment ends them.
      if (found === undefined || (found && !found.private)) continue;
      for (const connection of connections) connection.destroy();
    }
  }

  /** Whether the latest read found something live for `label` (a failed connect: 502 rather than 404). */
  isServing(label: string): boolean {
    return this.latest.has(label);
  }
}

/** Whether the buffered request is the sign-in hand-off (node:http answers it). */
function pathIsAuth(buffered: Buffer): boolean {
  const line = buffered.toString('latin1', 0, Math.min(buffered.length, 200 + DEPLOY_AUTH_PATH.length));
  return line.includes(` ${DEPLOY_AUTH_PATH}?`) || line.includes(` ${DEPLOY_AUTH_PATH} `);
}

function toResolved(
  label: string,
  found: NonNullable<Awaited<ReturnType<DeploymentLookup['target']>>>,
): ResolvedDeployment {
  const urls = [...new Set([found.endpoint.directUrl, found.endpoint.url].filter((url) => url !== undefined))];
  const addresses = urls.map((url) => {
    const parsed = new URL(url);
    return { host: parsed.hostname, port: Number(parsed.port || 80) };
  });
  return { label, private: found.private, ownerId: found.ownerId, addresses, at: Date.now() };
}

async function connectFirst(addresses: readonly { host: string; port: number }[]): Promise<Socket | undefined> {
  for (const { host, port } of addresses) {
    const socket = await connectTo(host, port);
    if (socket) return socket;
  }
  return undefined;
}

function connectTo(host: string, port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => fail(), CONNECT_TIMEOUT_MS);
    const fail = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    };
    socket.once('error', fail);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      socket.setNoDelay(true);
      resolve(socket);
    });
  });
}
