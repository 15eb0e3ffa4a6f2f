// Lossless export (real workspace, real agent, embedded PostgreSQL): file names with a backslash
// (legal on Linux) come back byte-identical through a project bundle, and the ZIP export refuses
// them before its first byte with 422 unexportable_name naming the file. (It used to answer 200
// and then either write `a\b.txt` as `a/b.txt` or cut the stream; bundles refused the name on import.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDto } from '../contracts';
import { run } from '../runtime/runtime-test-helpers';
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
let source: ProjectDto;
let tab: TestSocket;
const made: string[] = [];

beforeAll(async () => {
  t = await startTestServer({ SNAPSHOT_DEBOUNCE_SECONDS: '3600' });
  alice = await createSignedInUser(t.baseUrl);
  source = (await (
    await call(
      t.baseUrl,
      'POST',
      '/api/v1/projects',
      { cookie: alice.cookie },
      { name: 'Backslashes', template: 'static-html' },
    )
  ).json()) as ProjectDto;
  made.push(source.id);
  tab = await connectAs(t, alice);
  await openRunningWorkspace(tab, source.id);
}, 120_000);

afterAll(async () => {
  tab?.close();
  for (const id of made) await call(t.baseUrl, 'DELETE', `/api/v1/projects/${id}`, { cookie: alice.cookie });
  await t?.stop();
});

const sh = async (projectId: string, script: string) => {
  const result = await run(t.server.runtime, projectId, ['sh', '-c', script]);
  if (result.code !== 0) throw new Error(`${script}: ${result.output}`);
  return result.output;
};
// Every name as bytes (od), and every file's content hash: what "byte-identical" means here.
const LISTING = `find . -path ./.home -prune -o -type f -print | LC_ALL=C sort | while IFS= read -r f; do printf '%s' "$f" | od -An -tx1 | tr -d ' \\n'; printf ' '; sha256sum < "$f" | cut -c1-16; done; test -e a || echo no-a-folder`;

describe('names with a backslash', () => {
  let listing: string;

  beforeAll(async () => {
    await sh(
      source.id,
      `printf one > 'a\\b.txt' && mkdir -p sub && head -c 2000 /dev/urandom > 'sub/x\\y.bin' && printf two > '\\lead' && printf three > 'dir\\'`,
    );
    listing = await sh(source.id, LISTING);
    expect(listing).toContain('615c622e747874'); // a\b.txt
  });

  it('the ZIP export refuses them before the first byte, naming the file', async () => {
    const response = await call(t.baseUrl, 'GET', `/api/v1/projects/${source.id}/export.zip`, { cookie: alice.cookie });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.headers.get('content-disposition')).toBeNull();
    const body = (await response.json()) as { error: string; message: string; path: string; count: number };
    expect(body).toMatchObject({ error: 'unexportable_name', path: '\\lead', count: 4 });
    expect(body.message).toMatch(/^"\\\\lead" \(and 3 more\) cannot be exported as a ZIP: it contains a backslash/);
  });

  it('a bundle round-trips them byte-identical', async () => {
    const bundle = await call(t.baseUrl, 'GET', `/api/v1/projects/${source.id}/bundle`, { cookie: alice.cookie });
    expect(bundle.status).toBe(200);
    const form = new FormData();
    form.set(
      'file',
      new Blob([new Uint8Array(await bundle.arrayBuffer())], { type: 'application/zip' }),
      'backslashes.berth.zip',
    );
    const imported = await fetch(`${t.baseUrl}/api/v1/projects/import`, {
      method: 'POST',
      headers: { Cookie: alice.cookie, Origin: t.origin },
      body: form,
    });
    const copy = (await imported.json()) as ProjectDto;
    expect(imported.status, JSON.stringify(copy)).toBe(201);
    made.push(copy.id);
    await openRunningWorkspace(tab, copy.id);
    expect(await sh(copy.id, LISTING)).toBe(listing);
  });
});
