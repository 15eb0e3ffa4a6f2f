import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { databaseUnavailable } from '../core/errors';
import { createLogger } from '../core/logger';
import { createRequestHandler } from './request-handler';

let server: Server;
let base: string;

beforeAll(async () => {
  const handle = createRequestHandler(
    {
      api: undefined as never,
      auth: async () => undefined,
      // A page whose session check meets a database outage.
      pages: async () => {
        throw databaseUnavailable();
      },
      ping: async () => false,
    },
    { log: createLogger('silent'), trustProxy: false },
  );
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('answers a page that meets a database outage with 503 and Retry-After, not 500', async () => {
  const response = await fetch(`${base}/p/some-project`);
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toBe('5');
  expect(((await response.json()) as { error: string }).error).toBe('database_unavailable');
});
