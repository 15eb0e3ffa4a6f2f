// Serves /api/auth/* from the custom server through next-auth's Node (pages-API style)
// handler, so sign-in uses the same database and throttle instances as the REST API.
// next-auth expects Next's req.query/req.body and res.status()/json()/send(); the shims
// below provide exactly those on plain Node objects.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseCookies } from 'cookie';
import type { AuthOptions } from 'next-auth';
import NextAuthModule from 'next-auth/next';
import { cjsDefault } from '../core/cjs-default';
import { readFormOrJson } from '../core/read-body';
import { CLIENT_IP_HEADER } from './auth-options';
import { authRequestContext } from './auth-request-context';

const AUTH_BODY_LIMIT = 64 * 1024;

type ApiHandler = (req: unknown, res: unknown, options: AuthOptions) => Promise<unknown>;
const nextAuth = cjsDefault(NextAuthModule as unknown as ApiHandler);

export async function handleAuthRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: AuthOptions,
  clientIp: string,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://internal');
  const segments = url.pathname
    .replace(/^\/api\/auth\/?/, '')
    .split('/')
    .filter(Boolean);
  const body = req.method === 'POST' ? await readFormOrJson(req, AUTH_BODY_LIMIT) : undefined;
  // The client IP travels as a header we set ourselves; any value a caller sent is replaced.
  const headers = { ...req.headers, [CLIENT_IP_HEADER]: clientIp };

  const apiRequest = {
    method: req.method,
    headers,
    cookies: parseCookies(req.headers.cookie ?? ''),
    query: { ...Object.fromEntries(url.searchParams), nextauth: segments },
    body,
  };
  res.setHeader('Cache-Control', 'no-store');
  const userAgent = typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : undefined;
  await authRequestContext.run({ ip: clientIp, userAgent }, () =>
    nextAuth(apiRequest, createApiResponse(res), options),
  );
}

function createApiResponse(res: ServerResponse) {
  const shim = {
    status(code: number) {
      res.statusCode = code;
      return shim;
    },
    setHeader: (name: string, value: string | string[]) => res.setHeader(name, value),
    getHeader: (name: string) => res.getHeader(name),
    json(payload: unknown) {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(payload));
    },
    send(payload: unknown) {
      if (payload === undefined || payload === null) res.end();
      else if (typeof payload === 'string' || Buffer.isBuffer(payload)) res.end(payload);
      else shim.json(payload);
    },
    end: () => res.end(),
  };
  return shim;
}
