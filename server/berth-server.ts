// The composition root: the one place that constructs concrete stores and services and
// wires them into one HTTP server, routed in this order: /api/health and /api/ready,
// /api/v1 (REST), /api/auth (next-auth), Socket.IO (its own upgrade listener), then pages.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Config } from './config';
import type { Logger } from './core/logger';
import { openDatabase, type Database } from './db';
import {
  createAuthOptions,
  handleAuthRequest,
  loadOrCreateAuthSecret,
  RequestAuthenticator,
  SignInThrottle,
  TokenService,
  UserService,
} from './auth';
import { clientIp, createApiRouter, sendHealth, sendJson, sendReadiness, setSecurityHeaders } from './http';
import { broadcastProjectChanges, ProjectService, registerProjectSocketHandlers } from './projects';
import { createSocketServer } from './socket';
import { createPageGate, type PageRenderer } from './pages/page-gate';

export interface BerthServer {
  httpServer: Server;
  database: Database;
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  log: Logger;
  /** Next.js pages; absent in API-only integration tests (pages then answer 404). */
  pages?: PageRenderer;
}

const SIGNUPS_PER_IP_WINDOW = 30;

export async function startBerthServer({ config, log, pages }: StartOptions): Promise<BerthServer> {
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    migrationsDir: path.join(config.appDir, 'prisma', 'migrations'),
    log: log.child({ module: 'db' }),
  });
  const { prisma } = database;
  const secret = await loadOrCreateAuthSecret(config.AUTH_SECRET, config.DATA_DIR);
  const secureCookies = config.BERTH_URL.startsWith('https://');

  const signInThrottle = new SignInThrottle({ maxFailures: config.SIGNIN_MAX_FAILURES, windowSeconds: config.SIGNIN_WINDOW_SECONDS });
  const signInIpThrottle = new SignInThrottle({
    maxFailures: config.SIGNIN_MAX_FAILURES * 4,
    windowSeconds: config.SIGNIN_WINDOW_SECONDS,
  });
  const signupThrottle = new SignInThrottle({ maxFailures: SIGNUPS_PER_IP_WINDOW, windowSeconds: config.SIGNIN_WINDOW_SECONDS });
  const users = new UserService(prisma, signInThrottle, signInIpThrottle);
  const tokens = new TokenService(prisma);
  const projects = new ProjectService(prisma);
  const authenticator = new RequestAuthenticator(tokens, secret, secureCookies);
  const authOptions = createAuthOptions({
    secret,
    secureCookies,
    users,
    log: log.child({ module: 'auth' }),
    github: config.githubEnabled ? { clientId: config.GITHUB_ID!, clientSecret: config.GITHUB_SECRET! } : undefined,
  });
  const api = createApiRouter({ authenticator, users, tokens, projects, signupThrottle, allowSignup: config.ALLOW_SIGNUP });
  const pageGate = createPageGate({ authenticator, projects, pages });

  const handleRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0]!;
    const reqLog = log.child({ requestId });
    res.setHeader('X-Request-Id', requestId);
    setSecurityHeaders(res);
    const ip = clientIp(req, config.TRUST_PROXY);
    try {
      if (path === '/api/health') sendHealth(res);
      else if (path === '/api/ready') await sendReadiness(res, database.ping);
      else if (path.startsWith('/api/v1/') || path === '/api/v1') await api.handle(req, res, reqLog, ip);
      else if (path.startsWith('/api/auth/')) await handleAuthRequest(req, res, authOptions, ip);
      else await pageGate(req, res, path);
    } catch (error) {
      reqLog.error({ err: error, path }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'Something went wrong on our side' });
      else res.destroy();
    } finally {
      const isApi = path.startsWith('/api/');
      const line = { method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) };
      if (isApi) reqLog.info(line, 'request');
      else reqLog.debug(line, 'request');
    }
  };

  const httpServer = createServer((req, res) => void handleRequest(req, res));
  const io = createSocketServer(httpServer, {
    allowedOrigins: [config.origin],
    authenticator,
    log: log.child({ module: 'socket' }),
  });
  io.on('connection', (socket) => registerProjectSocketHandlers(socket, projects, log.child({ module: 'projects' })));
  const stopBroadcasting = broadcastProjectChanges(io, projects);

  const nextUpgrade = pages?.upgrade;
  if (nextUpgrade) {
    httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!req.url?.startsWith('/socket.io')) void nextUpgrade(req, socket, head);
    });
  }

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.PORT, config.HOST, () => resolve());
    });
  } catch (error) {
    // Port taken or similar: do not leave the embedded database running behind us.
    stopBroadcasting();
    await database.close();
    throw error;
  }
  const port = (httpServer.address() as AddressInfo).port;
  log.info({ port, host: config.HOST, url: config.BERTH_URL }, 'Berth is listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      stopBroadcasting();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await database.close();
    })());

  return { httpServer, database, url: `http://127.0.0.1:${port}`, close };
}
