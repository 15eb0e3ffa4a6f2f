// Part of the composition root (berth-server.ts): every store and service, built in dependency
// order. Each is built from what is already built and none calls into another while being
// built. The one cycle, workspaces ⇄ snapshots, is closed by attaching the snapshot hooks right
// after snapshots exist, before anything can start or stop a workspace. Socket.IO comes later
// (it is bound to the HTTP server, which needs these services), so what services push to
// browsers leaves through events that berth-server.ts forwards once Socket.IO exists.
import path from 'node:path';
import type { Config } from './config';
import type { SnapshotStatusDto } from './contracts';
import type { Logger } from './core/logger';
import { BerthMetrics } from './core/metrics';
import { TypedEmitter } from './core/typed-emitter';
import { databaseUnavailable } from './core/errors';
import { openDatabase, withAdvisoryLock } from './db';
import { createAccounts, OAuthTokenStore, OAUTH_TOKENS_PURPOSE } from './accounts';
import { AdminService } from './admin';
import { createAssistant } from './assistant';
import {
  CLI_LOGIN_PURPOSE,
  CliLoginService,
  createAuthOptions,
  loadOrCreateAuthSecret,
  RequestAuthenticator,
  SESSION_MAX_AGE_SECONDS,
  SessionService,
  SignInThrottle,
  TokenService,
  UserService,
} from './auth';
import { AgentContentClient, FileService, LockService } from './files';
import { GitCredentialService, GitRemoteService, GitRunner, GitService, GIT_TOKENS_PURPOSE } from './git';
import { SecretBox } from './core/secret-box';
import { checkGitUrl } from './transfer/git-url-policy';
import { PreviewService } from './preview';
import { ProjectService } from './projects';
import { TerminalService } from './terminals';
import { createDeploymentDriver, createRuntime } from './create-runtime';
import { createDeploys } from './deploy';
import { createSnapshots } from './snapshots';
import { createSync, createSyncPeers } from './sync';
import { createTransfer } from './transfer';
import { DiskWatch, WorkspaceService } from './workspaces';

/** "Forgot password?" requests per client address and sign-in window before they must wait. */
const RESET_REQUESTS_PER_IP_WINDOW = 10;

export type BerthServices = Awaited<ReturnType<typeof createServices>>;

export async function createServices(config: Config, log: Logger) {
  const startedAt = new Date();
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
  // `berth login` in the browser: the approved token waits sealed under a key of its own.
  const cliLogins = new CliLoginService(prisma, tokens, new SecretBox(secret, CLI_LOGIN_PURPOSE), config.BERTH_URL);
  cliLogins.startSweeping(undefined, (error) => log.warn({ err: error }, 'sweeping expired CLI sign-ins failed'));
  const cliLoginThrottle = new SignInThrottle({ maxFailures: 30, windowSeconds: window });
  const accounts = createAccounts(
    config,
    { prisma, users, sessions, tokens, projects },
    log.child({ module: 'accounts' }),
  );
  // The token of a GitHub sign-in, sealed under a key of its own: git uses it for github.com.
  const oauthTokens = new OAuthTokenStore(prisma, new SecretBox(secret, OAUTH_TOKENS_PURPOSE));
  const authOptions = createAuthOptions({
    oauthTokens,
    secret,
    secureCookies,
    users,
    sessions,
    log: log.child({ module: 'auth' }),
    github: config.githubEnabled ? { clientId: config.GITHUB_ID!, clientSecret: config.GITHUB_SECRET! } : undefined,
  });

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

  // Source control: git in the workspace container through the runtime's exec.
  const gitRunner = new GitRunner(runtime);
  const git = new GitService(projects, workspaces, users, gitRunner);
  // Each user's git tokens per host, sealed under their own key derived from AUTH_SECRET; remote
  // URLs follow the git import's rules (GIT_ALLOW_PRIVATE_HOSTS).
  const gitCredentials = new GitCredentialService(prisma, new SecretBox(secret, GIT_TOKENS_PURPOSE), oauthTokens);
  const gitRemotes = new GitRemoteService(projects, workspaces, git, gitCredentials, gitRunner, (url) =>
    checkGitUrl(url, config.GIT_ALLOW_PRIVATE_HOSTS),
  );

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

  // Snapshot progress: berth-server.ts forwards it to browsers once Socket.IO exists.
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
  // can start or stop a workspace: the HTTP server listens and the jobs start after this returns.
  const detachSnapshotHooks = workspaces.attachHooks(snapshots.hooks);
  // Models, conversations, turns and their tools, undo (server/assistant/create-assistant.ts).
  const assistant = await createAssistant(
    {
      prisma,
      secret,
      startedAt,
      projects,
      files,
      locks,
      terminals,
      previews,
      snapshots,
      log: log.child({ module: 'assistant' }),
    },
    config,
  );
  // Bundles and duplicates carry the assistant's conversations.
  const transfer = createTransfer(
    {
      prisma,
      projects,
      workspaces,
      runtime,
      snapshots,
      conversations: assistant.conversations,
      log: log.child({ module: 'transfer' }),
    },
    { importMaxBytes: config.IMPORT_MAX_MB * 1024 * 1024, gitAllowPrivateHosts: config.GIT_ALLOW_PRIVATE_HOSTS },
  );
  // This Berth's side of the peer protocol: another Berth or the berth CLI syncing one of its projects.
  const syncPeers = createSyncPeers(
    {
      prisma,
      projects,
      workspaces,
      snapshots: { service: snapshots.service, store: snapshots.store },
      conversations: assistant.conversations,
      log: log.child({ module: 'sync-peer' }),
    },
    {
      maxBlobBytes: config.SNAPSHOT_MAX_FILE_MB * 1024 * 1024,
      uploadMaxBytes: config.SYNC_UPLOAD_MAX_MB * 1024 * 1024,
      name: new URL(config.BERTH_URL).host,
    },
  );
  // Applies an interruption left half done are finished in the background (after adoption).
  syncPeers.start();
  // This Berth as the initiator: remotes (other Berths), links, syncs, their status, automatic sync.
  const sync = createSync(
    {
      prisma,
      secret,
      projects,
      snapshots: snapshots.store,
      workspaces,
      localPeer: syncPeers.localPeer,
      log: log.child({ module: 'sync' }),
    },
    {
      urlPolicy: {
        allowPrivateHosts: config.SYNC_ALLOW_PRIVATE_HOSTS,
        // This Berth itself (its API, the user's own token): BERTH_URL and loopback on its port.
        selfOrigins: [
          config.origin,
          ...['127.0.0.1', 'localhost', '[::1]'].map((host) => `http://${host}:${config.PORT}`),
        ],
      },
      autoSyncDebounceMs: config.SYNC_AUTO_DEBOUNCE_SECONDS * 1000,
      maxBlobBytes: config.SNAPSHOT_MAX_FILE_MB * 1024 * 1024,
    },
  );
  sync.start().catch((error: unknown) => log.warn({ err: error }, 'automatic sync could not start'));
  metrics.setSources({
    workspacesByState: () => workspaces.countByState(),
    terminalSessions: async () =>
      (await Promise.all(workspaces.active().map(({ projectId }) => terminals.list(projectId)))).reduce(
        (sum, list) => sum + list.length,
        0,
      ),
  });
  const admin = new AdminService(prisma, workspaces, runtime, config.BERTH_ADMIN_EMAILS);
  // Deployments (issue 14): images built from snapshots, run as long-lived containers (server/deploy/create-deploys.ts).
  const deploys = createDeploys(
    {
      prisma,
      projects,
      driver: await createDeploymentDriver(config, log),
      snapshots: {
        latest: (projectId) => snapshots.store.latest(projectId),
        get: (projectId, snapshotId) => snapshots.store.get(projectId, snapshotId),
        take: (userId, projectId) => snapshots.api.take(userId, projectId),
        archiveOf: (snapshotId) => snapshots.service.archiveOf(snapshotId),
        reader: snapshots.store,
      },
      workspaceStopped: (projectId) => workspaces.status(projectId).state === 'stopped',
      secret,
      // A private deployment's access ends with the Berth session it was opened in.
      stillValid: ({ userId, sessionId }) => sessions.isLive(sessionId, userId),
      log: log.child({ module: 'deploy' }),
    },
    {
      maxPerUser: config.DEPLOYMENTS_MAX_PER_USER,
      imagesKept: config.DEPLOY_IMAGES_KEPT,
      buildTimeoutMs: config.DEPLOY_BUILD_TIMEOUT_S * 1000,
      domain: config.PREVIEW_DOMAIN,
      scheme: new URL(config.BERTH_URL).protocol.replace(':', ''),
    },
  );
  // d-<projectId>-<env>.<PREVIEW_DOMAIN> hosts: the preview router sends them to the live deployment.
  previews.serveDeployments({
    target: (label) => deploys.deploymentTarget(label),
    access: deploys.access,
    onDidChangeAccess: (listener) => void deploys.environments.accessChanges.on('onDidChangeAccess', listener),
  });
  /** Ends what the services hold (timers, agent connections, the runtime's streams, the database). */
  const dispose = async () => {
    await deploys.dispose(); // builds under way end failed; deployment containers keep running
    await assistant.dispose(); // each turn ends stopped, its messages stored and locks released
    await sync.dispose(); // syncs this Berth runs end (as an interrupted sync), automatic sync stops
    await syncPeers.dispose(); // applies under way end first (they write through the workspaces)
    await cliLogins.dispose(); // the sweep of expired CLI sign-ins stops before the database closes
    detachSnapshotHooks();
    snapshots.dispose();
    terminals.dispose();
    files.dispose();
    previews.dispose();
    locks.dispose();
    workspaces.dispose();
    await runtime.dispose();
    await database.close();
  };
  return {
    database,
    prisma,
    users,
    signupThrottle,
    resetRequestThrottle,
    tokens,
    projects,
    sessions,
    authenticator,
    cliLogins,
    cliLoginThrottle,
    accounts,
    authOptions,
    metrics,
    runtime,
    workspaces,
    diskWatch,
    terminals,
    locks,
    files,
    git,
    gitRemotes,
    gitCredentials,
    previews,
    snapshots,
    snapshotStatus,
    transfer,
    admin,
    conversations: assistant.conversations,
    models: assistant.models,
    modelProtocols: assistant.modelProtocols,
    aiSettings: assistant.aiSettings,
    turns: assistant.turns,
    turnUndo: assistant.turnUndo,
    turnSnapshots: assistant.turnSnapshots,
    deploys,
    syncPeers,
    sync,
    dispose,
  };
}
