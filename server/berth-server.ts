// The composition root: the one place that constructs concrete stores, drivers and services
// and wires them into one HTTP server (routing: server/http/request-handler.ts), Socket.IO
// and the background jobs (workspace reconciliation, idle reaper).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { Config } from './config';
import type { Logger } from './core/logger';
import { BerthMetrics } from './core/metrics';
import { createAccounts } from './accounts';
import { AdminService } from './admin';
import { TypedEmitter, type Disposer } from './core/typed-emitter';
import type { SnapshotStatusDto } from './contracts';
import { waitAtMost } from './core/wait-at-most';
import { databaseUnavailable } from './core/errors';
import { openDatabase, withAdvisoryLock, type Database } from './db';
import {
  createAuthOptions,
  handleAuthRequest,
  loadOrCreateAuthSecret,
  RequestAuthenticator,
  SESSION_MAX_AGE_SECONDS,
  SessionService,
  SignInThrottle,
  TokenService,
  UserService,
} from './auth';
import {
  AgentContentClient,
  broadcastFileChanges,
  broadcastLockChanges,
  FileService,
  LockService,
  registerFileSocketHandlers,
} from './files';
import {
  createApiRouter,
  createHostPolicy,
  createMetricsEndpoint,
  createRequestHandler,
  trackOpenConnections,
} from './http';
import { broadcastPortChanges, PreviewService, routePreviewHostsFirst } from './preview';
import { broadcastProjectChanges, ProjectService, registerProjectSocketHandlers } from './projects';
import type { RuntimeDriver } from './runtime';
import { createRuntime } from './create-runtime';
import { createSnapshots } from './snapshots';
import { createTransfer } from './transfer';
import { createSocketServer, disconnectEndedSessions, projectRoom } from './socket';
import {
  broadcastTerminalChanges,
  outOfMemoryNotice,
  printTerminalNotice,
  registerTerminalSocketHandlers,
  TerminalService,
} from './terminals';
import {
  broadcastWorkspaceStatus,
  DiskWatch,
  keepReconciling,
  registerWorkspaceSocketHandlers,
  startIdleReaper,
  WorkspaceService,
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

/** "Forgot password?" requests per client address and sign-in window before they must wait. */
const RESET_REQUESTS_PER_IP_WINDOW = 10;

/** How long a graceful shutdown waits for requests in flight. */
const DRAIN_MS = 5_000;

export async function startBerthServer({ config, log, pages }: StartOptions): Promise<RunningBerth> {
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    migrationsDir: path.join(config.appDir, 'prisma', 'migrations'),
    log: log.child({ module: 'db' }),
    // Queries against an unreachable database throw a 503 (REST answers and socket acks alike).
    unavailableError: () => databaseUnavailable(),
  });
  const { prisma } = database;
  const secret = await loadOrCreateAuthSecret(config.AUTH_SECRET, config.DATA_DIR);
  const secureCookies = config.BERTH_URL.startsWith('https://');
  const window = config.SIGNIN_WINDOW_SECONDS;

  const users = new UserService(
    prisma,
    new SignInThrottle({ maxFailures: config.SIGNIN_MAX_FAILURES, windowSeconds: window }),
    new SignInThrottle({ maxFailures: config.SIGNIN_MAX_FAILURES * 4, windowSeconds: window }),
    config.REQUIRE_EMAIL_VERIFICATION,
  );
  const signupThrottle = new SignInThrottle({ maxFailures: config.SIGNUPS_PER_IP, windowSeconds: window });
  const resetRequestThrottle = new SignInThrottle({ maxFailures: RESET_REQUESTS_PER_IP_WINDOW, windowSeconds: window });
  const tokens = new TokenService(prisma);
  const projects = new ProjectService(prisma);
  const sessions = new SessionService(prisma, { maxAgeSeconds: SESSION_MAX_AGE_SECONDS });
  const authenticator = new RequestAuthenticator(tokens, sessions, secret, secureCookies);
  const accounts = createAccounts(
    config,
    { prisma, users, sessions, tokens, projects },
    log.child({ module: 'accounts' }),
  );
  const authOptions = createAuthOptions({
    secret,
    secureCookies,
    users,
    sessions,
    log: log.child({ module: 'auth' }),
    github: config.githubEnabled ? { clientId: config.GITHUB_ID!, clientSecret: config.GITHUB_SECRET! } : undefined,
  });

  // Construction order: each service is built from what is already built, and none calls into
  // another while being built. The one cycle, workspaces ⇄ snapshots, is closed by attaching the
  // snapshot hooks right after snapshots exist; Socket.IO comes last (it is bound to the HTTP
  // server, which needs every service), so what services push to browsers goes through events.
  const metrics = new BerthMetrics();
  const runtime = await createRuntime(config, log);
  const workspaces = new WorkspaceService(
    runtime,
    projects,
    {
      templatesDir: path.join(config.appDir, 'docker', 'templates'),
      idleMinutes: config.WORKSPACE_IDLE_MINUTES,
      maxRunningPerUser: config.WORKSPACE_MAX_RUNNING_PER_USER,
      metrics,
    },
    log.child({ module: 'workspaces' }),
  );
  // Measures running workspaces and records the figures in their status (started with the jobs below).
  const diskWatch = new DiskWatch(
    workspaces,
    (projectId) => runtime.diskUsage?.(projectId) ?? Promise.resolve(null),
    log.child({ module: 'disk' }),
  );
  const terminals = new TerminalService(
    runtime,
    {
      ensureRunning: async (projectId) => {
        await workspaces.ensureRunning(projectId);
      },
      recordActivity: (projectId) => workspaces.recordActivity(projectId),
    },
    log.child({ module: 'terminals' }),
  );

  const locks = new LockService();
  const files = new FileService(projects, workspaces, locks, new AgentContentClient(), {
    maxBytes: config.FILE_MAX_MB * 1024 * 1024,
  });

  const previews = new PreviewService(
    projects,
    workspaces,
    {
      domain: config.PREVIEW_DOMAIN,
      scheme: new URL(config.BERTH_URL).protocol.replace(':', ''),
      ideOrigin: config.origin,
      ttlMs: config.PREVIEW_TTL_MINUTES * 60_000,
      countBytes: (direction, bytes) => metrics.countPreviewBytes(direction, bytes),
      allowedPorts: config.PREVIEW_PORTS,
    },
    log.child({ module: 'preview' }),
  );

  // Snapshot progress, pushed to browsers once Socket.IO exists (broadcast below).
  const snapshotStatus = new TypedEmitter<{ onDidChangeStatus: SnapshotStatusDto }>();
  const snapshots = createSnapshots(
    {
      prisma,
      projects,
      workspaces,
      publish: (status) => snapshotStatus.emit('onDidChangeStatus', status),
      withLock: (name, fn) => withAdvisoryLock(prisma, name, fn),
      log: log.child({ module: 'snapshots' }),
    },
    {
      debounceSeconds: config.SNAPSHOT_DEBOUNCE_SECONDS,
      keep: config.SNAPSHOT_KEEP,
      maxFileBytes: config.SNAPSHOT_MAX_FILE_MB * 1024 * 1024,
      metrics,
    },
  );
  // Snapshot before stop; a lost volume refilled from the latest snapshot. Attached before anything
  // can start or stop a workspace (the HTTP server listens, and the jobs start, further down).
  const detachSnapshotHooks = workspaces.attachHooks(snapshots.hooks);
  const transfer = createTransfer(
    { projects, workspaces, runtime, snapshots, log: log.child({ module: 'transfer' }) },
    { importMaxBytes: config.IMPORT_MAX_MB * 1024 * 1024, gitAllowPrivateHosts: config.GIT_ALLOW_PRIVATE_HOSTS },
  );
  metrics.setSources({
    workspacesByState: () => workspaces.countByState(),
    terminalSessions: async () =>
      (await Promise.all(workspaces.active().map(({ projectId }) => terminals.list(projectId)))).reduce(
        (sum, list) => sum + list.length,
        0,
      ),
  });
  const admin = new AdminService(prisma, workspaces, runtime, config.BERTH_ADMIN_EMAILS);

  const api = createApiRouter({
    authenticator,
    users,
    sessions,
    accounts,
    tokens,
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
    detachSnapshotHooks,
    snapshots.dispose,
    projects.events.on('onDidDelete', ({ projectId }) => {
      terminals.closeProject(projectId);
      previews.forget(projectId);
      workspaces
        .remove(projectId)
        .catch((error: unknown) =>
          log.warn({ projectId, err: error }, 'could not remove workspace; it will be reaped at next start'),
        );
    }),
    // A running workspace may hold terminal sessions from before a Berth restart: adopt them.
    workspaces.events.on('onDidChangeStatus', (status) => {
      if (status.state === 'running') void terminals.adopt(status.projectId, status.startedAt ?? '');
    }),
    // The engine restarted under a running workspace: its terminals' attach streams ended.
    workspaces.events.on('onDidReconnectAgent', ({ projectId }) => {
      terminals
        .reattachLost(projectId)
        .catch((error: unknown) => log.warn({ projectId, err: error }, 'could not reattach terminals'));
    }),
    // A process was killed for memory: say so where it happened.
    workspaces.events.on('onDidRunOutOfMemory', ({ projectId, memoryLimitMb }) => {
      printTerminalNotice(runtime, projectId, outOfMemoryNotice(memoryLimitMb)).catch((error: unknown) =>
        log.warn({ projectId, err: error }, 'could not tell the terminals about the out-of-memory kill'),
      );
    }),
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
    terminals.dispose();
    files.dispose();
    previews.dispose();
    locks.dispose();
    workspaces.dispose();
    await runtime.dispose();
    await database.close();
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
      if (graceful) await waitAtMost(drained, DRAIN_MS);
      // Every connection still open, HTTP and upgraded alike.
      connections.destroyAll();
      await drained;
      // Workspace containers keep running: the next start adopts them.
      await closeServices();
    })());

  return { httpServer, database, workspaces, terminals, files, locks, runtime, url: `http://127.0.0.1:${port}`, close };
}
