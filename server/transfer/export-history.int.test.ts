// The export history against a real server, workspace and PostgreSQL: every finished download —
// the files as a ZIP, a full bundle, an incremental bundle, a conversation on its own — is one
// row with who, when, which kind and the bytes sent; a check or a refused download adds none;
// GET …/exports lists them newest first, to the owner only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportHistoryDto, ProjectDto, SnapshotDto } from '../contracts';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { connectAs, openRunningWorkspace, type TestSocket } from '../test-support/socket-client';

let t: TestServer;
let alice: TestUser;
let bob: TestUser;
let tab: TestSocket;
let project: ProjectDto;

beforeAll(async () => {
  t = await startTestServer({ SNAPSHOT_DEBOUNCE_SECONDS: '3600' });
  alice = await createSignedInUser(t.baseUrl);
  bob = await createSignedInUser(t.baseUrl);
  tab = await connectAs(t, alice);
  const response = await call(
    t.baseUrl,
    'POST',
    '/api/v1/projects',
    { cookie: alice.cookie },
    { name: 'Exported often', template: 'blank-node' },
  );
  project = (await response.json()) as ProjectDto;
  await openRunningWorkspace(tab, project.id);
}, 120_000);

afterAll(async () => {
  tab?.close();
  if (project) await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: alice.cookie });
  await t?.stop();
});

async function history(user: TestUser = alice): Promise<Response> {
  return call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/exports`, { cookie: user.cookie });
}

async function downloadSize(route: string): Promise<number> {
  const response = await call(t.baseUrl, 'GET', route, { cookie: alice.cookie });
  expect(response.status, route).toBe(200);
  return (await response.arrayBuffer()).byteLength;
}

describe('export history', () => {
  it('starts empty', async () => {
    const response = await history();
    expect(response.status).toBe(200);
    expect(((await response.json()) as ExportHistoryDto).exports).toEqual([]);
  });

  it('records each kind of download, newest first, with who and the bytes sent', async () => {
    const base = (await (
      await call(
        t.baseUrl,
        'POST',
        `/api/v1/projects/${project.id}/snapshots`,
        { cookie: alice.cookie },
        { label: 'B' },
      )
    ).json()) as SnapshotDto;
    const root = `/api/v1/projects/${project.id}`;
    // A check writes nothing, so it is no export.
    expect((await call(t.baseUrl, 'GET', `${root}/export.zip?check=1`, { cookie: alice.cookie })).status).toBe(204);
    const zip = await downloadSize(`${root}/export.zip`);
    const full = await downloadSize(`${root}/bundle`);
    const incremental = await downloadSize(`${root}/bundle?since=${base.id}`);
    const created = await call(t.baseUrl, 'POST', `${root}/conversations`, { cookie: alice.cookie }, { title: 'Chat' });
    const { id } = (await created.json()) as { id: string };
    const conversation = await downloadSize(`${root}/conversations/${id}/export`);
    // Refused downloads are not exports either.
    expect((await call(t.baseUrl, 'GET', `${root}/bundle?since=nope`, { cookie: alice.cookie })).status).toBe(404);
    expect((await call(t.baseUrl, 'GET', `${root}/bundle`, { cookie: bob.cookie })).status).toBe(404);

    const { exports } = (await (await history()).json()) as ExportHistoryDto;
    expect(exports.map((row) => [row.kind, row.bytes])).toEqual([
      ['conversations', conversation],
      ['incremental', incremental],
      ['full', full],
      ['zip', zip],
    ]);
    for (const row of exports) {
      expect(row.user).toEqual({ id: alice.id, name: alice.name, email: alice.email });
      expect(Date.parse(row.createdAt)).toBeGreaterThanOrEqual(Date.parse(base.createdAt));
    }
    const times = exports.map((row) => row.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('is 404 for another user and 401 signed out', async () => {
    expect((await history(bob)).status).toBe(404);
    expect((await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/exports`, {})).status).toBe(401);
  });
});
