// Snapshots never stop silently (real workspace, real agent, embedded PostgreSQL): a path of
// 2,000 characters (nested folders) and a name that is not UTF-8 are listed as skipped with their
// reason, everything else is snapshotted, and export.zip and the bundle still work.
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDto, SnapshotDto } from '../contracts';
import { run } from '../runtime/runtime-test-helpers';
import { call, type TestServer, type TestUser } from '../test-support/api-test-server';
import { closeProjectFixture, openProjectFixture } from '../test-support/project-fixture';
import { type TestSocket } from '../test-support/socket-client';
import { readZip } from '../transfer';

let t: TestServer, alice: TestUser, project: ProjectDto, tab: TestSocket;
let scratch: string;

// Ten nested 199-character folders: the file's path is 2,009 characters.
const SEGMENTS = Array.from({ length: 10 }, (_, i) => String.fromCharCode(97 + i).repeat(199));
const FIRST_TOO_LONG = SEGMENTS.slice(0, 6).join('/'); // 1,199 characters; five segments are 999

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'berth-unstorable-'));
  ({
    t,
    user: alice,
    project,
    tab,
  } = await openProjectFixture({ name: 'Unstorable', env: { SNAPSHOT_DEBOUNCE_SECONDS: '3600' }, running: true }));
}, 120_000);

afterAll(async () => {
  await closeProjectFixture({ t, user: alice, project, tab });
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const sh = async (script: string) => {
  const result = await run(t.server.runtime, project.id, ['sh', '-c', script]);
  if (result.code !== 0) throw new Error(`${script.slice(0, 200)}: ${result.output}`);
  return result.output;
};

async function zipPaths(route: string): Promise<string[]> {
  const response = await call(t.baseUrl, 'GET', route, { cookie: alice.cookie });
  expect(response.status).toBe(200);
  const file = path.join(scratch, `${Math.random().toString(36).slice(2)}.zip`);
  await writeFile(file, Buffer.from(await response.arrayBuffer()));
  const zip = await readZip(file);
  try {
    return zip.files.map((entry) => entry.path).sort();
  } finally {
    zip.close();
  }
}

describe('paths a snapshot cannot hold', () => {
  it('are listed as skipped with their reason while the rest is snapshotted', async () => {
    const deep = SEGMENTS.join('/');
    await sh(
      `mkdir -p src ${deep} && printf deep > ${deep}/deep.txt && printf kept > src/kept.txt && printf weird > "$(printf 'bad\\377name.txt')" && printf inside > "${SEGMENTS[0]}/shallow.txt"`,
    );
    expect(await sh(`ls ${deep}`)).toBe('deep.txt\n');
    const response = await call(
      t.baseUrl,
      'POST',
      `/api/v1/projects/${project.id}/snapshots`,
      { cookie: alice.cookie },
      { label: 'with unstorable paths' },
    );
    const snapshot = (await response.json()) as SnapshotDto;
    expect(response.status, JSON.stringify(snapshot)).toBe(201);
    expect(snapshot.skipped).toEqual(
      [
        { path: FIRST_TOO_LONG, size: 0, reason: 'path_too_long' },
        { path: 'bad\uFFFDname.txt', size: 0, reason: 'not_utf8' },
      ].sort((a, b) => (a.path < b.path ? -1 : 1)),
    );
    const kept = await call(
      t.baseUrl,
      'GET',
      `/api/v1/projects/${project.id}/snapshots/${snapshot.id}/file?path=src%2Fkept.txt`,
      { cookie: alice.cookie },
    );
    expect(await kept.text()).toBe('kept');
    const shallow = await call(
      t.baseUrl,
      'GET',
      `/api/v1/projects/${project.id}/snapshots/${snapshot.id}/file?path=${encodeURIComponent(`${SEGMENTS[0]}/shallow.txt`)}`,
      { cookie: alice.cookie },
    );
    expect(await shallow.text()).toBe('inside');
  });

  it('do not stop automatic snapshots, the ZIP export or the bundle', async () => {
    await sh('printf more > src/more.txt');
    const exported = await zipPaths(`/api/v1/projects/${project.id}/export.zip`);
    expect(exported).toEqual(expect.arrayContaining(['src/kept.txt', 'src/more.txt', `${SEGMENTS[0]}/shallow.txt`]));
    expect(exported.some((entry) => entry.includes('deep.txt') || entry.startsWith('bad'))).toBe(false);
    const bundle = await zipPaths(`/api/v1/projects/${project.id}/bundle`);
    expect(bundle).toContain('berth-bundle.json');
  });
});
