// The HTTP answer to a service's refusal: one status per kind, the code and details unchanged,
// through the real router on a real socket. The statuses are a contract with clients.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestAuthenticator } from '../auth';
import { AGENT_FILE_ERROR_STATUS, type AgentFileErrorCode } from '../contracts';
import { databaseUnavailable, DomainError, type ErrorKind } from '../core/errors';
import { createLogger } from '../core/logger';
import { AGENT_ERROR_KIND } from '../files/agent-error-code';
import { ZipImportError, type ZipImportErrorCode } from '../transfer';
import { HTTP_STATUS } from './error-status';
import { Router } from './router';

const EXPECTED: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  precondition_failed: 412,
  too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  locked: 423,
  rate_limited: 429,
  internal: 500,
  not_configured: 501,
  bad_gateway: 502,
  unavailable: 503,
  disk_full: 507,
};
const KINDS = Object.keys(EXPECTED) as ErrorKind[];

let server: Server;
let base: string;

beforeAll(async () => {
  // No route here asks who the caller is.
  const router = new Router({ authenticate: async () => null } as unknown as RequestAuthenticator, []);
  router.add('GET', '/api/v1/refuse/:kind', async (ctx) => {
    throw new DomainError(ctx.params.kind as ErrorKind, `some_${ctx.params.kind}`, 'refused', { extra: 1 });
  });
  router.add('GET', '/api/v1/database-down', async () => {
    throw databaseUnavailable(7);
  });
  const log = createLogger('silent');
  server = createServer((req, res) => void router.handle(req, res, log, '127.0.0.1'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a DomainError over HTTP', () => {
  it.each(KINDS)('%s answers its status with the code, message and details', async (kind) => {
    const response = await fetch(`${base}/refuse/${kind}`);
    expect(response.status).toBe(EXPECTED[kind]);
    expect(await response.json()).toEqual({ error: `some_${kind}`, message: 'refused', extra: 1 });
    expect(response.headers.get('retry-after')).toBeNull();
  });

  it('a database outage answers 503 database_unavailable with Retry-After', async () => {
    const response = await fetch(`${base}/database-down`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(((await response.json()) as { error: string }).error).toBe('database_unavailable');
  });

  it('the table has exactly the contract statuses', () => {
    expect(HTTP_STATUS).toEqual(EXPECTED);
  });
});

describe('refusals passed on from elsewhere keep their contract status', () => {
  it.each(Object.keys(AGENT_FILE_ERROR_STATUS) as AgentFileErrorCode[])(
    "agent file error '%s' keeps the agent contract's status",
    (code) => {
      expect(HTTP_STATUS[AGENT_ERROR_KIND[code]]).toBe(AGENT_FILE_ERROR_STATUS[code]);
    },
  );

  it.each<[ZipImportErrorCode, number]>([
    ['too_many_entries', 413],
    ['too_large', 413],
    ['bad_path', 400],
    ['symlink', 400],
    ['encrypted', 400],
    ['unsupported', 400],
    ['corrupt', 400],
    ['duplicate', 400],
  ])('a refused ZIP (%s) answers %i', (code, status) => {
    expect(HTTP_STATUS[new ZipImportError(code, 'refused').kind]).toBe(status);
  });
});
