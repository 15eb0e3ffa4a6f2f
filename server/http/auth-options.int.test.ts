// GET /api/v1/auth/options tells the signed-out pages what they need, including BERTH_URL: the
// workbench opened at another address (a LAN IP in BERTH_ALLOWED_HOSTS) names it when its
// socket is refused (issue 17 C1).
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuthOptionsDto } from '../contracts';
import { call, startTestServer, type TestServer } from '../test-support/api-test-server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ ALLOW_SIGNUP: 'false' });
});
afterAll(async () => {
  await t?.stop();
});

it('answers without a session: mail, signup and berthUrl', async () => {
  const response = await call(t.baseUrl, 'GET', '/api/v1/auth/options', { origin: null });
  expect(response.status).toBe(200);
  const options = (await response.json()) as AuthOptionsDto;
  expect(options).toEqual({ mail: false, signup: false, berthUrl: t.origin });
});
