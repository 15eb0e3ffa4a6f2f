// A git import to an internal address in an IPv6 spelling is refused through the real API
// before anything exists: no project row, no workspace container. (These spellings used to pass
// the check, create a project and its workspace, and reach curl inside it.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';

let t: TestServer;
let alice: TestUser;

beforeAll(async () => {
  t = await startTestServer();
  alice = await createSignedInUser(t.baseUrl);
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

const projectRows = () => t.server.database.prisma.project.count();

describe('POST /api/v1/projects/import {gitUrl} to internal addresses', () => {
  it.each([
    'https://[::ffff:127.0.0.1]/repo.git',
    'https://[::ffff:7f00:1]/repo.git',
    'https://[::127.0.0.1]/repo.git',
    'https://[::1]/repo.git',
    'https://[0:0:0:0:0:0:0:1]/repo.git',
    'https://[64:ff9b::10.0.0.1]/repo.git',
    'https://[fe80::1]/repo.git',
    'https://[fc00::1]/repo.git',
    'https://[::ffff:169.254.169.254]/repo.git',
    'https://0x7f.1/repo.git',
    'https://localhost/repo.git',
  ])('%s → 400 bad_git_url, and no project or workspace is created', async (gitUrl) => {
    const rowsBefore = await projectRows();
    const response = await call(t.baseUrl, 'POST', '/api/v1/projects/import', { cookie: alice.cookie }, { gitUrl });
    const body = (await response.json()) as { error: string; message: string };
    expect([response.status, body.error], body.message).toEqual([400, 'bad_git_url']);
    expect(body.message).toMatch(/internal address/);
    expect(await projectRows()).toBe(rowsBefore);
    expect(await t.server.runtime.list()).toEqual([]);
  });
});
