// The composition root: the one place that constructs concrete stores, drivers and services
// (create-services.ts builds them, in dependency order) and wires them into one HTTP server
// (routing: server/http/request-handler.ts), Socket.IO and the background jobs (workspace
// reconciliation, idle reaper, disk watch), which start only once everything exists.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Config } from './config';
import type { Logger } from './core/logger';
import type { Disposer } from './core/typed-emitter';
import { waitAtMost } from './core/wait-at-most';
import { withAdvisoryLock, type Database } from './db';
import {
  broadcastConversationChanges,
  broadcastTurnEvents,
  broadcastTurnUpdates,
  type TurnSnapshotRetention,
} from './assistant';
import { handleAuthRequest } from './auth';
import {
  broadcastFileChanges,
  broadcastLockChanges,
  registerFileSocketHandlers,
  type FileService,
  type LockService,
} from './files';
import {
  createApiRouter,
  createCliDownload,
  createHostPolicy,
  createMetricsEndpoint,
  createRequestHandler,
  trackOpenConnections,
} from './http';
import type { DeployService } from './deploy';
import { broadcastGitChanges } from './git';
import { broadcastPortChanges, routePreviewHostsFirst } from './preview';
import { broadcastProjectChanges, registerProjectSocketHandlers } from './projects';
import type { RuntimeDriver } from './runtime';
import { createServices } from './create-services';
import { createSocketServer, disconnectEndedSessions, projectRoom } from './socket';
import {
  broadcastTerminalChanges,
  followWorkspaceEvents,
  registerTerminalSocketHandlers,
  type TerminalService,
} from './terminals';
import {
  broadcastWorkspaceStatus,
  keepReconciling,
  registerWorkspaceSocketHandlers,
  startIdleReaper,
  type WorkspaceService,
} from './workspaces';
import { createPageGate, type PageRenderer } from './pages/page-gate';

/** A started Berth: its HTTP server, database and services, and how to close it. */
export interface RunningBerth {
  httpServer: Server;
  database: Database;
  workspaces: WorkspaceService;
  terminals: TerminalService;
  files: FileService;
  locks: LockService;
  runtime: RuntimeDriver;
  /** Prunes old assistant turns' snapshots (tests wait on its onDidPrune). */
  turnSnapshots: TurnSnapshotRetention;
  /** Deployments; deploymentTarget(host label) is what the d-<project>-<env> host router asks. */
  deploys: DeployService;
  url: string;
  /**
   * Closes Berth; workspace containers keep running (the next start adopts them). With
   * `graceful` (SIGTERM): snapshot every running workspace first, then let requests in flight
   * finish (bounded) before connections are cut.
   */
  close(options?: { graceful?: boolean }): Promise<void>;
}

export interface StartOptions {
  config: Config;
  log: Logger;
  /** Next.js pages; absent in API-only integration tests (pages then answer 404). */
  pages?: PageRenderer;
}

/** How long a graceful shutdown waits for requests in flight. */
const DRAIN_MS = 5_000;

export async function startBerthServer({ config, log, pages }: StartOptions): Promise<RunningBerth> {
  const services = await createServices(config, log);
  const {
    database,
    prisma,
    users,
    signupThrottle,
    resetRequestThrottle,
    tokens,
    projects,
    sessions,
    authenticator,
    accounts,
    authOptions,
    metrics,
    runtime,
    workspaces,
    diskWatch,
    terminals,
    locks,
    files,
    previews,
    snapshots,
    snapshotStatus,
    transfer,
    admin,
  } = services;

  const api = createApiRouter({
    authenticator,
    users,
    sessions,
    accounts,
    tokens,
    cliLogins: services.cliLogins,
    cliLoginThrottle: services.cliLoginThrottle,
    projects,
    workspaces,
    files,
    previews,
    snapshots: snapshots.api,
    transfer: transfer.transfer,
    gitImport: transfer.gitImport,
    importMaxBytes: config.IMPORT_MAX_MB * 1024 * 1024,
    runtime,
    signupThrottle,
    resetRequestThrottle,
    allowSignup: config.ALLOW_SIGNUP,
    allowedOrigins: [config.origin],
    berthUrl: config.BERTH_URL,
    admin,
    conversations: services.conversations,
    models: services.models,
    modelProtocols: services.modelProtocols,
    aiSettings: services.aiSettings,
    turns: services.turns,
    turnUndo: services.turnUndo,
    git: services.git,
    gitRemotes: services.gitRemotes,
    gitCredentials: services.gitCredentials,
    deploys: services.deploys,
    syncPeers: services.syncPeers,
    sync: services.sync,
    onUnhandledError: () => metrics.errors.inc({ area: 'api' }),
  });
  const hostPolicy = createHostPolicy({
    berthUrl: config.BERTH_URL,
    allowedHosts: config.BERTH_ALLOWED_HOSTS,
    listenPort: config.PORT,
  });
  const handleRequest = createRequestHandler(
    {
      preview: previews,
      api,
      auth: (req, res, ip) => handleAuthRequest(req, res, authOptions, ip),
      pages: createPageGate({ authenticator, projects, pages, isAdmin: (userId) => admin.isAdmin(userId) }),
      ping: database.ping,
      metrics: createMetricsEndpoint(metrics, config.METRICS_TOKEN),
      cli: createCliDownload({ appDir: config.appDir, log: log.child({ module: 'cli-download' }) }),
    },
    { log, trustProxy: config.TRUST_PROXY, hostPolicy, berthUrl: config.BERTH_URL },
  );
  const httpServer = createServer((req, res) => void handleRequest(req, res));

  const socketLog = log.child({ module: 'socket' });
  const io = createSocketServer(httpServer, {
    allowedOrigins: [config.origin],
    isAllowedHost: (req) => hostPolicy(req) !== 'refused',
    authenticator,
    maxPerUser: config.SOCKETS_MAX_PER_USER,
    log: socketLog,
  });
  io.on('connection', (socket) => {
    registerProjectSocketHandlers(socket, projects);
    registerWorkspaceSocketHandlers(socket, projects, workspaces);
    registerTerminalSocketHandlers(socket, projects, terminals, socketLog);
    registerFileSocketHandlers(socket, files, locks, users);
  });

  // Terminal sessions kept by tmux in workspaces that outlived the previous Berth process.
  void terminals.adoptRunning();
  const disposers: Disposer[] = [
    disconnectEndedSessions(io, sessions, tokens, socketLog),
    broadcastProjectChanges(io, projects),
    broadcastWorkspaceStatus(io, workspaces),
    broadcastTerminalChanges(io, terminals),
    broadcastFileChanges(io, workspaces, log.child({ module: 'files' })),
    broadcastPortChanges(io, workspaces),
    broadcastLockChanges(io, locks),
    snapshotStatus.on('onDidChangeStatus', (status) =>
      io.to(projectRoom(status.projectId)).emit('snapshot:status', status),
    ),
    broadcastTurnEvents(io, services.turns),
    broadcastTurnUpdates(io, services.turnUndo),
    broadcastConversationChanges(io, services.conversations),
    broadcastGitChanges(io, services.git),
    projects.events.on('onDidDelete', ({ projectId }) => {
      terminals.closeProject(projectId);
      previews.forget(projectId);
      workspaces
        .remove(projectId)
        .catch((error: unknown) =>
          log.warn({ projectId, err: error }, 'could not remove workspace; it will be reaped at next start'),
        );
      services.deploys
        .removeProject(projectId)
        .catch((error: unknown) => log.warn({ projectId, err: error }, 'could not remove the project’s deployments'));
    }),
    // Adopt, reattach and notify terminals as their workspace runs, reconnects or runs out of memory.
    followWorkspaceEvents(workspaces, terminals, runtime, log),
    keepReconciling(workspaces, log),
    startIdleReaper(workspaces, (name, fn) => withAdvisoryLock(prisma, name, fn), log),
    diskWatch.start(config.WORKSPACE_DISK_CHECK_SECONDS * 1000),
  ];

  if (pages?.upgrade) {
    const upgrade = pages.upgrade;
    httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!req.url?.startsWith('/socket.io')) void upgrade(req, socket, head);
    });
  }
  // Last, over every listener above: a preview host's request or upgrade (even to /socket.io/,
  // which Socket.IO's engine would otherwise take) goes to the preview proxy and nowhere else.
  routePreviewHostsFirst(httpServer, previews);
  // Outermost, so it sees the preview hosts' upgrades too.
  const connections = trackOpenConnections(httpServer);

  const closeServices = async () => {
    for (const dispose of disposers) dispose();
    await services.dispose();
  };

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.PORT, config.HOST, () => resolve());
    });
  } catch (error) {
    // Port taken or similar: do not leave the embedded database running behind us.
    await closeServices();
    throw error;
  }
  const port = (httpServer.address() as AddressInfo).port;
  log.info({ port, host: config.HOST, url: config.BERTH_URL }, 'Berth is listening');

  let closing: Promise<void> | undefined;
  const close = ({ graceful = false }: { graceful?: boolean } = {}) =>
    (closing ??= (async () => {
      // Assistant turns end first (stopped, their messages stored, locks released), so their event streams end.
      await services.turns.stopAll();
      if (graceful) {
        const running = workspaces.active().filter((status) => status.state === 'running');
        // Each is bounded (the scheduler's stop timeout) and never throws.
        await Promise.all(running.map((status) => snapshots.scheduler.beforeStop(status.projectId)));
        if (running.length)
          log.info({ workspaces: running.length }, 'snapshotted running workspaces before shutting down');
      }
      // No new connections; idle keep-alive ones go now, busy ones when their request ends.
      const drained = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      if (graceful) httpServer.closeIdleConnections();
      // Browsers' sockets are cut: they reconnect to the next process by themselves. Not
      // awaited: its callback waits for every connection, a silent WebSocket peer's included.
      void io.close();
      connections.endUpgraded();
      // The preview fast path's connections are not node:http's: they are closed by the preview service.
      previews.closeConnections();
      if (graceful) await waitAtMost(drained, DRAIN_MS);
      // Every connection still open, HTTP and upgraded alike.
      connections.destroyAll();
      await drained;
      // Workspace containers keep running: the next start adopts them.
      await closeServices();
    })());

  return {
    httpServer,
    database,
    workspaces,
    terminals,
    files,
    locks,
    runtime,
    turnSnapshots: services.turnSnapshots,
    deploys: services.deploys,
    url: `http://127.0.0.1:${port}`,
    close,
  };
}
