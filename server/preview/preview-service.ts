// Previews: which ports of a project's workspace listen (agent 'ports.list'), the capability
// URL of each (minted for the owner, reused while valid), revocation, rotation of all of a
// project's capabilities when its workspace (re)starts, and the routing of preview-host
// connections and requests to the workspace agent's tunnels (pooled per preview). Callers of
// list/revoke pass the signed-in user; a project that is not theirs is 404.
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { AGENT_PORT, type ListeningPort, type PreviewDto, type WorkspaceStatusDto } from '../contracts';
import { DomainError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Disposer } from '../core/typed-emitter';
import { CapabilityStore, type Capability } from './capability-store';
import { parsePreviewHost, previewUrl } from './preview-host';
import type { AgentTarget } from './agent-tunnel';
import { servePreviewConnection, type PreviewRoute, type ServedConnection } from './preview-connection';
import { ByteTally } from './byte-tally';
import { badHostPage, notFoundPage, notRunningPage, sendPage, sendPageOnSocket } from './preview-pages';
import { countNothing, proxyHttp, proxyUpgrade, type ByteCounter } from './preview-proxy';
import { TunnelPool, tunnelKey } from './tunnel-pool';
import { openAppConnection } from './app-connection';
import { DeploymentHosts, type DeploymentLookup } from './deployment-hosts';
import {
  deploymentNotFoundPage,
  deploymentUnreachablePage,
  handleDeploymentRequest,
  handleDeploymentUpgrade,
} from './deployment-http';
import { spliceToDeployment } from './deployment-splice';

export interface PreviewProjects {
  /** Throws 404 when the project does not exist or is not the user's. */
  get(userId: string, projectId: string): Promise<unknown>;
}

export interface PreviewWorkspaces {
  status(projectId: string): WorkspaceStatusDto;
  agentEndpoint(projectId: string): AgentTarget | undefined;
  agent(projectId: string): { request(method: 'ports.list'): Promise<ListeningPort[]> } | undefined;
  recordActivity(projectId: string): void;
  events: { on(event: 'onDidChangeStatus', listener: (status: WorkspaceStatusDto) => void): Disposer };
}

export interface PreviewOptions {
  /** Lowercase, e.g. localhost:3000 */
  domain: string;
  /** http or https, from BERTH_URL. */
  scheme: string;
  /** Berth's origin: the only site allowed to frame a preview. */
  ideOrigin: string;
  ttlMs: number;
  now?: () => number;
  /** Counts proxied bytes (metrics); absent = not counted. */
  countBytes?: ByteCounter;
  /** PREVIEW_PORTS: inclusive ranges a preview may be offered for; absent = 1024–65535. */
  allowedPorts?: readonly (readonly [number, number])[];
}

/** By default no privileged port (ssh on 22, a web server run as root on 80): those are rarely an app being built. */
const DEFAULT_PREVIEW_PORTS: readonly (readonly [number, number])[] = [[1024, 65535]];

const ACTIVITY_THROTTLE_MS = 1000;

export const isPreviewablePort = (port: number) =>
  Number.isInteger(port) && port >= 1 && port <= 65535 && port !== AGENT_PORT;

/** Docker's embedded DNS resolver listens on 127.0.0.11 (a random TCP port) in every container on a user-defined network: not the user's app. */
const DOCKER_DNS_ADDRESS = '127.0.0.11';
export const isUserListener = (entry: ListeningPort) =>
  entry.address !== DOCKER_DNS_ADDRESS && isPreviewablePort(entry.port);

export class PreviewService {
  readonly store: CapabilityStore;
  /** Idle tunnels to the agents, per (workspace, port). */
  readonly tunnels = new TunnelPool(openAppConnection);
  /** Deployment hosts d-<projectId>-<env> (issue 14); absent = they answer 404. */
  private deployments: DeploymentHosts | undefined;
  /** Proxied bytes on their way to the metric (flushed at least once a second). */
  readonly bytes: ByteTally;
  private readonly running = new Map<string, boolean>();
  private readonly lastActivity = new Map<string, number>();
  private readonly offStatus: Disposer;
  /**
   * Connections that have served a preview, per (project, port): revoking its links (or the
   * workspace restarting) ends them, so an open HMR socket or a long answer does not outlive its link.
   */
  private readonly serving = new Map<string, Map<Duplex, () => void>>();
  /** Every connection the fast path serves, for shutdown. */
  private readonly served = new Set<ServedConnection>();

  constructor(
    private readonly projects: PreviewProjects,
    private readonly workspaces: PreviewWorkspaces,
    private readonly options: PreviewOptions,
    private readonly log: Logger,
  ) {
    this.store = new CapabilityStore({ ttlMs: options.ttlMs, now: options.now });
    this.bytes = new ByteTally(options.countBytes ?? countNothing);
    this.offStatus = workspaces.events.on('onDidChangeStatus', (status) => {
      const isRunning = status.state === 'running';
      const wasRunning = this.running.get(status.projectId) ?? false;
      this.running.set(status.projectId, isRunning);
      // A (re)started workspace: every old preview URL of the project stops working.
      if (isRunning && !wasRunning) {
        this.store.rotate(status.projectId);
        this.endServing(status.projectId);
      }
    });
  }

  /** Serves deployment hosts (d-<projectId>-<env>.<PREVIEW_DOMAIN>) from now on. */
  serveDeployments(lookup: DeploymentLookup): void {
    this.deployments = new DeploymentHosts(lookup, this.options.domain);
  }

  /** The previews of every port listening in the running workspace; [] when it is not running. */
  async list(userId: string, projectId: string): Promise<PreviewDto[]> {
    await this.projects.get(userId, projectId);
    const agent = this.workspaces.agent(projectId);
    if (!agent) return [];
    const ports = await agent.request('ports.list');
    const unique = [
      ...new Set(ports.filter((entry) => isUserListener(entry) && this.allows(entry.port)).map((entry) => entry.port)),
    ].sort((a, b) => a - b);
    return unique.map((port) => this.dto(this.store.current(projectId, port, userId)));
  }

  /** A fresh URL for (project, port); the old one answers 404 from now on. */
  async revoke(userId: string, projectId: string, port: number): Promise<PreviewDto> {
    await this.projects.get(userId, projectId);
    if (!isPreviewablePort(port) || !this.allows(port))
      throw new DomainError('bad_request', 'bad_port', `Port ${port} cannot be previewed (PREVIEW_PORTS)`);
    const fresh = this.store.revoke(projectId, port, userId);
    this.endServing(projectId, port);
    return this.dto(fresh);
  }

  /** Whether PREVIEW_PORTS lets `port` be previewed. */
  allows(port: number): boolean {
    return (this.options.allowedPorts ?? DEFAULT_PREVIEW_PORTS).some(([from, to]) => port >= from && port <= to);
  }

  /** The project was deleted. */
  forget(projectId: string): void {
    this.store.rotate(projectId);
    this.endServing(projectId);
    this.running.delete(projectId);
    this.lastActivity.delete(projectId);
  }

  /** Whether this Host is a preview host (or a malformed name under the preview domain). */
  claimsHost(host: string | undefined): boolean {
    return parsePreviewHost(host, this.options.domain).kind !== 'other';
  }

  /** Whether this request is for a preview host (or a malformed one under the preview domain). */
  claims(req: IncomingMessage): boolean {
    return this.claimsHost(req.headers.host);
  }

  /**
   * Serves a browser connection on the fast path (preview-connection.ts) while its requests
   * name preview hosts; `handOff` gives it to Berth's own HTTP server at the first that does not.
   */
  serveConnection(socket: Socket, handOff: (socket: Socket, buffered: Buffer) => void): void {
    // Idle between requests it stays: its next request is checked (and answered 404) as any other.
    const end = () => void (served.busy && socket.destroy());
    const deployments = this.deployments;
    const served: ServedConnection = servePreviewConnection(socket, {
      route: (host) => this.route(host, socket, end),
      pool: this.tunnels,
      ideOrigin: this.options.ideOrigin,
      count: this.bytes.count,
      // A deployment host's connection is read (async), then spliced to a public deployment (deployment-splice.ts).
      handOff: deployments
        ? (client, buffered) =>
            deployments.takeOver(
              client,
              buffered,
              (again, bytes, label) => {
                const spliced = spliceToDeployment(again, bytes, {
                  hosts: deployments,
                  label,
                  ideOrigin: this.options.ideOrigin,
                  count: this.bytes.count,
                  notFound: deploymentNotFoundPage(this.options.ideOrigin),
                  unreachable: deploymentUnreachablePage,
                });
                this.served.add(spliced);
                again.once('close', () => this.served.delete(spliced));
              },
              handOff,
            )
        : handOff,
    });
    this.served.add(served);
    socket.once('close', () => this.served.delete(served));
  }

  /**
   * Berth is shutting down: closes the connections the fast path serves (node:http's close()
   * does not know them) — idle and upgraded ones now, busy ones after their answer.
   */
  closeConnections(): void {
    for (const served of this.served) if (!served.done) served.shutdown();
  }

  /** A preview request on a connection Berth's HTTP server serves (see preview-proxy.ts). */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const host = parsePreviewHost(req.headers.host, this.options.domain);
    if (host.kind === 'deployment') {
      if (!this.deployments)
        return sendPage(res, deploymentNotFoundPage(this.options.ideOrigin), this.options.ideOrigin);
      void handleDeploymentRequest(this.deployments, host.label, req, res, this.deploymentHttp()).catch(() => {
        if (!res.headersSent) sendPage(res, deploymentNotFoundPage(this.options.ideOrigin), this.options.ideOrigin);
        else res.destroy();
      });
      return;
    }
    const end = () => void (!res.writableFinished && req.socket.destroy());
    const found = this.route(req.headers.host, req.socket, end) ?? { page: badHostPage };
    if ('page' in found) return sendPage(res, found.page, this.options.ideOrigin);
    proxyHttp(req, res, found.target, found.port, this.options.ideOrigin, this.bytes.count);
  }

  /** The same for an upgrade. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const host = parsePreviewHost(req.headers.host, this.options.domain);
    if (host.kind === 'deployment') {
      const page = deploymentNotFoundPage(this.options.ideOrigin);
      if (!this.deployments) return sendPageOnSocket(socket, page, this.options.ideOrigin);
      void handleDeploymentUpgrade(this.deployments, host.label, req, socket, head, this.deploymentHttp()).catch(() =>
        socket.destroy(),
      );
      return;
    }
    const found = this.route(req.headers.host, socket, () => socket.destroy()) ?? { page: badHostPage };
    if ('page' in found) return sendPageOnSocket(socket, found.page, this.options.ideOrigin);
    proxyUpgrade(req, socket, head, found.target, found.port, this.options.ideOrigin, this.bytes.count);
  }

  dispose(): void {
    this.offStatus();
    this.tunnels.dispose();
    this.bytes.flush();
  }

  /** Host check, capability, running workspace: where a request for this Host goes, or the page it gets. */
  private route(host: string | undefined, connection: Duplex, end: () => void): PreviewRoute | null {
    const parsed = parsePreviewHost(host, this.options.domain);
    if (parsed.kind === 'other') return null;
    if (parsed.kind === 'deployment')
      // Handed off, then read (DeploymentHosts.takeOver): spliced when public, else node:http's.
      return this.deployments ? null : { page: notFoundPage };
    if (parsed.kind !== 'preview') return { page: badHostPage };
    const capability = this.store.resolve(parsed.capability);
    if (!capability || !isPreviewablePort(capability.port) || !this.allows(capability.port))
      return { page: notFoundPage };
    const target: AgentTarget | undefined = this.workspaces.agentEndpoint(capability.projectId);
    if (!target) return { page: notRunningPage };
    this.touch(capability);
    this.hold(capability, connection, end);
    return { target, port: capability.port, key: tunnelKey(target, capability.port) };
  }

  /** `end` ends what `connection` is doing for the preview (the latest request's, on node:http's path). */
  private hold({ projectId, port }: Capability, connection: Duplex, end: () => void): void {
    const key = `${projectId}\n${port}`;
    let connections = this.serving.get(key);
    if (!connections) this.serving.set(key, (connections = new Map()));
    const held = connections;
    const known = held.has(connection);
    held.set(connection, end);
    if (known) return;
    connection.once('close', () => {
      held.delete(connection);
      if (held.size === 0 && this.serving.get(key) === held) this.serving.delete(key);
    });
  }

  /** Ends the connections serving (project, port), or every port of the project. */
  private endServing(projectId: string, port?: number): void {
    for (const [key, connections] of this.serving) {
      const [project, served] = key.split('\n');
      if (project !== projectId || (port !== undefined && Number(served) !== port)) continue;
      for (const end of connections.values()) end();
    }
  }

  private touch({ projectId }: Capability): void {
    const now = Date.now();
    if (now - (this.lastActivity.get(projectId) ?? 0) < ACTIVITY_THROTTLE_MS) return;
    this.lastActivity.set(projectId, now);
    try {
      this.workspaces.recordActivity(projectId);
    } catch (error) {
      this.log.warn({ projectId, err: error }, 'could not record preview activity');
    }
  }

  private deploymentHttp() {
    return { ideOrigin: this.options.ideOrigin, secure: this.options.scheme === 'https' };
  }

  private dto(entry: Capability): PreviewDto {
    return {
      port: entry.port,
      url: previewUrl(this.options.scheme, entry.capability, this.options.domain),
      expiresAt: new Date(entry.expiresAt).toISOString(),
    };
  }
}

/**
 * Puts preview hosts ahead of every 'request' and 'upgrade' listener of the server, present or
 * added later (Socket.IO's engine wraps 'request' and listens on 'upgrade' for /socket.io/;
 * Next.js adds an 'upgrade' listener of its own on its first request): a preview host's
 * request or upgrade — even to /socket.io/ — reaches the preview proxy and no other listener.
 * A new connection goes to the preview fast path first (`serveConnection`): it reads the first
 * request head and hands the connection back to node:http when that names another host.
 */
export function routePreviewHostsFirst(
  server: Pick<EventEmitter, 'emit'>,
  previews: Pick<PreviewService, 'claims' | 'handleRequest' | 'handleUpgrade' | 'serveConnection'>,
): void {
  const emit = server.emit.bind(server);
  const handOff = (socket: Socket, buffered: Buffer) => {
    if (socket.destroyed) return;
    if (buffered.length > 0) socket.unshift(buffered);
    emit('connection', socket);
  };
  server.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    if (event === 'connection') {
      previews.serveConnection(args[0] as Socket, handOff);
      return true;
    }
    if (event === 'request' || event === 'upgrade') {
      const [req, second, head] = args as [IncomingMessage, ServerResponse & Duplex, Buffer];
      if (previews.claims(req)) {
        if (event === 'request') previews.handleRequest(req, second);
        else previews.handleUpgrade(req, second, head);
        return true;
      }
    }
    return emit(event, ...args);
  };
}
