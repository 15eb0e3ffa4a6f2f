// A small router for /api/v1: method + path pattern → handler. Every JSON body is parsed
// with a zod schema; errors become JSON answers with a precise status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z, type ZodType } from 'zod';
import type { Logger } from '../core/logger';
import { databaseUnavailable, DomainError, unauthorized } from '../core/errors';
import { isDatabaseUnavailable } from '../db';
import { readFormOrJson } from '../core/read-body';
import type { ApiErrorBody } from '../contracts';
import { httpStatusOf } from './error-status';
import type { Principal, RequestAuthenticator } from '../auth';

const JSON_BODY_LIMIT = 1024 * 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface Reply {
  status: number;
  body?: unknown;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  log: Logger;
  clientIp: string;
  /** The signed-in caller; throws 401 when there is none. */
  user(): Promise<Principal>;
  /** The body parsed with `schema`; throws 400 with field errors when it does not fit. */
  body<T>(schema: ZodType<T>): Promise<T>;
}

type Handler = (ctx: RequestContext) => Promise<Reply>;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export const reply = (status: number, body?: unknown): Reply => ({ status, body });

export class Router {
  private readonly routes: Route[] = [];

  constructor(
    private readonly authenticator: RequestAuthenticator,
    /** Origins allowed to make cookie-authenticated changes (CSRF defence). */
    private readonly allowedOrigins: readonly string[],
    /** Told about every unhandled (500) error, e.g. to count it in berth_errors_total. */
    private readonly onUnhandledError: () => void = () => undefined,
  ) {}

  /** `path` like `/api/v1/projects/:id`. */
  add(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const source = path.replace(/:([a-zA-Z]+)/g, (_, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), keys, handler });
    return this;
  }

  async handle(req: IncomingMessage, res: ServerResponse, log: Logger, clientIp: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://internal');
    try {
      const { route, params } = this.match(req.method ?? 'GET', url.pathname);
      let principal: Promise<Principal | null> | undefined;
      const ctx: RequestContext = {
        req,
        res,
        url,
        params,
        log,
        clientIp,
        user: async () => {
          principal ??= this.authenticator.authenticate(req.headers);
          const found = await principal;
          if (!found) throw unauthorized();
          if (
            found.via === 'session' &&
            !SAFE_METHODS.has(req.method ?? 'GET') &&
            !this.allowedOrigins.includes(req.headers.origin ?? '')
          ) {
            // A browser always sends Origin on these; a missing or foreign one is a cross-site request.
            throw new DomainError('forbidden', 'bad_origin', 'Cross-site request refused');
          }
          return found;
        },
        body: async (schema) => parseWith(schema, await readFormOrJson(req, JSON_BODY_LIMIT)),
      };
      const result = await route.handler(ctx);
      if (!res.headersSent) sendJson(res, result.status, result.body);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // A database that is down or hung is a 503 to retry, not a 500: raw driver errors too.
      const answer =
        error instanceof DomainError ? error : isDatabaseUnavailable(error) ? databaseUnavailable() : undefined;
      if (answer) {
        if (answer.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(answer.retryAfterSeconds));
        sendJson(res, httpStatusOf(answer), {
          error: answer.code,
          message: answer.message,
          ...answer.details,
        } satisfies ApiErrorBody);
        return;
      }
      log.error({ err: error }, 'unhandled error in API route');
      this.onUnhandledError();
      sendJson(res, 500, { error: 'internal', message: 'Something went wrong on our side' } satisfies ApiErrorBody);
    }
  }

  private match(method: string, pathname: string): { route: Route; params: Record<string, string> } {
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(pathname);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, index) => (params[key] = decodePathSegment(match[index + 1]!)));
      return { route, params };
    }
    if (pathMatched) throw new DomainError('method_not_allowed', 'method_not_allowed', `${method} is not allowed here`);
    throw new DomainError('not_found', 'not_found', 'No such API route');
  }
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new DomainError('bad_request', 'bad_path', 'Malformed path segment');
  }
}

export function parseWith<T>(schema: ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { fieldErrors, formErrors } = z.flattenError(parsed.error);
  throw new DomainError('bad_request', 'validation', formErrors[0] ?? 'Some fields are not valid', {
    fieldErrors: fieldErrors as Record<string, string[]>,
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-store');
  if (body === undefined) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
