// The one HTTP entry. Preview hosts (p-<capability>.<PREVIEW_DOMAIN>, chosen by the Host header
// alone) go first and get none of the IDE's headers; everything else: request id, security
// headers, access log, then routing in order — /api/health, /api/ready, /metrics, /cli (the CLI
// download), /api/v1 (REST), /api/auth (next-auth), pages.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DomainError } from '../core/errors';
import type { Logger } from '../core/logger';
import { clientIp } from './client-ip';
import { httpStatusOf } from './error-status';
import { sendHealth, sendReadiness } from './health';
import type { HostVerdict } from './host-policy';
import type { Router } from './router';
import { sendJson } from './router';
import { setSecurityHeaders } from './security-headers';

export interface PreviewRoute {
  /** Whether the Host names a preview (or a malformed name under the preview domain). */
  claims(req: IncomingMessage): boolean;
  handleRequest(req: IncomingMessage, res: ServerResponse): void;
}

export interface RequestRoutes {
  /** Preview hosts, ahead of everything else; absent = no previews. */
  preview?: PreviewRoute;
  api: Router;
  auth(req: IncomingMessage, res: ServerResponse, clientIp: string): Promise<void>;
  pages(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  ping(): Promise<boolean>;
  /** Prometheus' scrape endpoint; absent = /metrics is left to the pages (404). */
  metrics?(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** GET /cli: the `berth` command line as one file; absent = left to the pages. */
  cli?(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

const PROBES = new Set(['/api/health', '/api/ready']);

export function createRequestHandler(
  routes: RequestRoutes,
  options: { log: Logger; trustProxy: boolean; hostPolicy?: (req: IncomingMessage) => HostVerdict; berthUrl?: string },
) {
  const { log } = options;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (routes.preview?.claims(req)) {
      try {
        routes.preview.handleRequest(req, res);
      } catch (error) {
        log.error({ err: error, host: req.headers.host }, 'preview request failed');
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      }
      return;
    }
    const requestId = randomUUID();
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0]!;
    const reqLog = log.child({ requestId });
    res.setHeader('X-Request-Id', requestId);
    setSecurityHeaders(res);
    const ip = clientIp(req, options.trustProxy);
    const verdict = options.hostPolicy?.(req) ?? 'ide';
    if (verdict !== 'ide' && !PROBES.has(path)) {
      const isApi = path.startsWith('/api/') || path === '/metrics';
      if (
        verdict === 'loopback-alias' &&
        !isApi &&
        (req.method === 'GET' || req.method === 'HEAD') &&
        options.berthUrl
      ) {
        // Another spelling of Berth's own loopback address: open the IDE where its cookies and sockets work.
        res.writeHead(302, { Location: options.berthUrl + (req.url ?? '/'), 'Cache-Control': 'no-store' }).end();
        return;
      }
      if (verdict === 'refused') {
        reqLog.warn({ host: req.headers.host, path }, 'request refused: host not served');
        res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(
          `421 Misdirected Request: this server answers only on ${options.berthUrl ? new URL(options.berthUrl).host : 'its own address'}${req.headers.host ? `, not on ${String(req.headers.host).slice(0, 100)}` : ''}.\n`,
        );
        return;
      }
    }
    try {
      if (path === '/api/health') sendHealth(res);
      else if (path === '/api/ready') await sendReadiness(res, routes.ping);
      else if (path === '/metrics' && routes.metrics) await routes.metrics(req, res);
      else if (path === '/cli' && routes.cli) await routes.cli(req, res);
      else if (path.startsWith('/api/v1/') || path === '/api/v1') await routes.api.handle(req, res, reqLog, ip);
      else if (path.startsWith('/api/auth/')) await routes.auth(req, res, ip);
      else await routes.pages(req, res, path);
    } catch (error) {
      if (error instanceof DomainError && error.retryAfterSeconds !== undefined && !res.headersSent) {
        // A page (its session check) while the database is down: say so, and when to retry.
        const status = httpStatusOf(error);
        reqLog.warn({ path, code: error.code }, `request answered ${status}`);
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
        sendJson(res, status, { error: error.code, message: error.message });
        return;
      }
      reqLog.error({ err: error, path }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'Something went wrong on our side' });
      else res.destroy();
    } finally {
      const line = { method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) };
      if (path.startsWith('/api/')) reqLog.info(line, 'request');
      else reqLog.debug(line, 'request');
    }
  };
}
