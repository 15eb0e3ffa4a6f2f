// Incremental bundles against a real server, workspaces and PostgreSQL: GET …/bundle?since=S holds
// only the snapshots after S, the blobs S lacks and the conversations begun after S, marked with
// S's manifest hash; POST …/bundle applies it onto a project that has S's content (its files then
// match the source, its history gains the snapshots, a safety snapshot keeps what it was), refuses
// it with 409 onto one that lacks it, and with 400 when a blob was tampered with, a blob is
// missing or a path is hostile — nothing applied. Another user's project is 404 throughout.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationListDto, IncrementalImportResultDto, ProjectDto, SnapshotDto } from '../contracts';
import { run } from '../runtime/runtime-test-helpers';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { connectAs, openRunningWorkspace, type TestSocket } from '../test-support/socket-client';
import { manifestHash } from './manifest-hash';
import { readZip } from './zip';
import { rawZip } from './zip/test-raw-zip';

let t: TestServer;
let alice: TestUser;
let bob: TestUser;
let tab: TestSocket;
let scratch: string;
const made: string[] = [];

beforeAll(async () => {
  t = await startTestServer({ SNAPSHOT_DEBOUNCE_SECONDS: '3600' });
  alice = await createSignedInUser(t.baseUrl);
  bob = await createSignedInUser(t.baseUrl);
  tab = await connectAs(t, alice);
  scratch = await mkdtemp(path.join(tmpdir(), 'berth-incremental-'));
}, 60_000);

afterAll(async () => {
  tab?.close();
  for (const id of made) await call(t.baseUrl, 'DELETE', `/api/v1/projects/${id}`, { cookie: alice.cookie });
  await t?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function newProject(name: string): Promise<ProjectDto> {
  const response = await call(
    t.baseUrl,
    'POST',
    '/api/v1/projects',
    { cookie: alice.cookie },
    { name, template: 'blank-node' },
  );
  expect(response.status).toBe(201);
  const project = (await response.json()) as ProjectDto;
  made.push(project.id);
  return project;
}

const sh = async (projectId: string, script: string) => {
  const result = await run(t.server.runtime, projectId, ['sh', '-c', script]);
  if (result.code !== 0) throw new Error(`${script}: ${result.output}`);
  return result.output;
};

const listing = 'find . -path ./.home -prune -o -type f -print | sort | xargs sha256sum';

async function snapshot(projectId: string, label: string): Promise<SnapshotDto> {
  const response = await call(
    t.baseUrl,
    'POST',
    `/api/v1/projects/${projectId}/snapshots`,
    { cookie: alice.cookie },
    { label },
  );
  expect(response.status).toBe(201);
  return (await response.json()) as SnapshotDto;
}

async function snapshotsOf(projectId: string): Promise<SnapshotDto[]> {
  const response = await call(t.baseUrl, 'GET', `/api/v1/projects/${projectId}/snapshots`, { cookie: alice.cookie });
  expect(response.status).toBe(200);
  return (await response.json()) as SnapshotDto[];
}

async function download(route: string, user: TestUser = alice): Promise<Buffer> {
  const response = await call(t.baseUrl, 'GET', route, { cookie: user.cookie });
  expect(response.status, route).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

function upload(route: string, zip: Buffer, user: TestUser = alice): Promise<Response> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(zip)], { type: 'application/zip' }), 'changes.berth.zip');
  return fetch(`${t.baseUrl}${route}`, {
    method: 'POST',
    headers: { Cookie: user.cookie, Origin: t.origin },
    body: form,
  });
}

/** The ZIP's entries, read whole. */
async function entriesOf(zip: Buffer): Promise<Map<string, Buffer>> {
  const file = path.join(scratch, `${randomBytes(6).toString('hex')}.zip`);
  await writeFile(file, zip);
  const read = await readZip(file, {});
  try {
    const entries = new Map<string, Buffer>();
    for (const entry of read.files) {
      const chunks: Buffer[] = [];
      for await (const chunk of await entry.open()) chunks.push(chunk as Buffer);
      entries.set(entry.path, Buffer.concat(chunks));
    }
    return entries;
  } finally {
    read.close();
  }
}

const zipOf = (entries: Map<string, Buffer>) => rawZip([...entries].map(([name, data]) => ({ name, data })));

interface BundleJson {
  incremental?: { base: { manifestHash: string; fileCount: number } };
  snapshots: {
    createdAt: string;
    label: string | null;
    files: { path: string; mode: number; size: number; sha256: string }[];
  }[];
}
const manifestOf = (entries: Map<string, Buffer>) =>
  JSON.parse(entries.get('berth-bundle.json')!.toString('utf8')) as BundleJson;

describe('incremental bundles', () => {
  let source: ProjectDto;
  let base: SnapshotDto;
  let copy: ProjectDto;
  let incremental: Buffer;
  let sourceListing: string;

  beforeAll(async () => {
    source = await newProject('Source');
    await openRunningWorkspace(tab, source.id);
    await sh(source.id, 'printf one > a.txt && printf same > same.txt && printf gone > keep.txt');
    base = await snapshot(source.id, 'Base');
    // A copy of the project as it is at the base: a full bundle imported as a new project.
    const full = await upload('/api/v1/projects/import', await download(`/api/v1/projects/${source.id}/bundle`));
    expect(full.status).toBe(201);
    copy = (await full.json()) as ProjectDto;
    made.push(copy.id);

    await sh(source.id, 'printf two > a.txt && head -c 50000 /dev/urandom > new.bin && rm keep.txt');
    await snapshot(source.id, 'Middle');
    await sh(source.id, 'printf three > a.txt && mkdir -p src && printf x > src/later.txt');
    const conversation = await call(
      t.baseUrl,
      'POST',
      `/api/v1/projects/${source.id}/conversations`,
      { cookie: alice.cookie },
      { title: 'After the base' },
    );
    expect(conversation.status).toBe(201);
    // The export snapshots the running workspace first: the last change travels too.
    incremental = await download(`/api/v1/projects/${source.id}/bundle?since=${base.id}`);
    sourceListing = await sh(source.id, listing);
  }, 180_000);

  it('holds the snapshots after the base, the blobs the base lacks, and is named by the base', async () => {
    const entries = await entriesOf(incremental);
    const bundle = manifestOf(entries);
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const baseFiles = await t.server.database.prisma.snapshotFile.findMany({ where: { snapshotId: base.id } });
    expect(baseFiles.map((file) => file.path)).toEqual(expect.arrayContaining(['a.txt', 'keep.txt', 'same.txt']));
    expect(bundle.incremental?.base).toEqual({
      fileCount: base.fileCount,
      manifestHash: manifestHash(baseFiles),
      createdAt: base.createdAt,
      label: 'Base',
    });
    expect(bundle.snapshots.map((s) => s.label)).toEqual(['Middle', null]);
    for (const s of bundle.snapshots) expect(Date.parse(s.createdAt)).toBeGreaterThan(Date.parse(base.createdAt));
    const blobs = [...entries.keys()].filter((name) => name.startsWith('blobs/')).map((name) => name.slice(6));
    // same.txt is unchanged since the base: its content stays out.
    expect(blobs).not.toContain(sha('same'));
    expect(blobs).toEqual(expect.arrayContaining([sha('two'), sha('three'), sha('x')]));
    expect([...entries.keys()].filter((name) => name.startsWith('conversations/'))).toHaveLength(1);
  });

  it('is refused with 409 onto a project that lacks the base, which stays as it was', async () => {
    const other = await newProject('Unrelated');
    await openRunningWorkspace(tab, other.id);
    await sh(other.id, 'printf other > a.txt');
    await snapshot(other.id, 'Other');
    const before = await snapshotsOf(other.id);
    const response = await upload(`/api/v1/projects/${other.id}/bundle`, incremental);
    const body = (await response.json()) as { error: string; message: string };
    expect([response.status, body.error]).toEqual([409, 'base_missing']);
    expect(body.message).toMatch(/no snapshot with the content this bundle starts from/);
    expect(await snapshotsOf(other.id)).toEqual(before);
    expect(await sh(other.id, 'cat a.txt')).toBe('other');
  });

  it('is refused with 400 when a blob was tampered with or is missing, or a path is hostile: nothing applied', async () => {
    const entries = await entriesOf(incremental);
    const blob = [...entries.keys()].find((name) => name.startsWith('blobs/'))!;
    const tampered = new Map(entries).set(blob, Buffer.from('not what the hash says'));
    const missing = new Map(entries);
    missing.delete(blob);
    const bundle = manifestOf(entries);
    const hostileManifest = structuredClone(bundle);
    hostileManifest.snapshots[0]!.files[0]!.path = '../../etc/evil';
    const hostile = new Map(entries).set('berth-bundle.json', Buffer.from(JSON.stringify(hostileManifest)));
    // Sizes must be the contents': one carried in the bundle, one the base holds.
    const wrongSize = (file: string) => {
      const lying = structuredClone(bundle);
      lying.snapshots[0]!.files.find((entry) => entry.path === file)!.size = 999;
      return new Map(entries).set('berth-bundle.json', Buffer.from(JSON.stringify(lying)));
    };
    const before = await snapshotsOf(copy.id);
    const cases: [string, Buffer, string, RegExp][] = [
      ['tampered', zipOf(tampered), 'bad_bundle', /does not match its hash/],
      ['missing', zipOf(missing), 'bad_bundle', /lacks 1 file content/],
      ['hostile', zipOf(hostile), 'bad_path', /not a safe project path/],
      ['carried size', zipOf(wrongSize('a.txt')), 'bad_bundle', /a\.txt is said to be 999 bytes but its content is 3/],
      [
        'base size',
        zipOf(wrongSize('same.txt')),
        'bad_bundle',
        /same\.txt is said to be 999 bytes but its content is 4/,
      ],
    ];
    for (const [label, zip, code, message] of cases) {
      const response = await upload(`/api/v1/projects/${copy.id}/bundle`, zip);
      const body = (await response.json()) as { error: string; message: string };
      expect([response.status, body.error], label).toEqual([400, code]);
      expect(body.message, label).toMatch(message);
    }
    expect(await snapshotsOf(copy.id)).toEqual(before);
  });

  it('applies onto a project that has the base: the later snapshots, the files and the new conversation', async () => {
    const before = await snapshotsOf(copy.id);
    const response = await upload(`/api/v1/projects/${copy.id}/bundle`, incremental);
    expect(response.status).toBe(200);
    const result = (await response.json()) as IncrementalImportResultDto;
    expect(result).toMatchObject({ projectId: copy.id, snapshotsAdded: 2, conversationsAdded: 1 });
    expect(await sh(copy.id, listing)).toBe(sourceListing);
    const after = await snapshotsOf(copy.id);
    const ids = new Set(before.map((s) => s.id));
    const added = after.filter((s) => !ids.has(s.id));
    expect(added.map((s) => s.label)).toContain('Middle');
    // The newest snapshot is what the volume now holds.
    expect(after[0]!.id).toBe(result.currentSnapshotId);
    expect(after.some((s) => s.id === result.safetySnapshotId)).toBe(true);
    const list = (await (
      await call(t.baseUrl, 'GET', `/api/v1/projects/${copy.id}/conversations`, { cookie: alice.cookie })
    ).json()) as ConversationListDto;
    expect(list.conversations.map((c) => c.title)).toEqual(['After the base']);
  });

  it('a full import refuses an incremental bundle; a full bundle is not applied onto a project', async () => {
    const asNew = await upload('/api/v1/projects/import', incremental);
    expect([asNew.status, ((await asNew.json()) as { error: string }).error]).toEqual([400, 'incremental_bundle']);
    const full = await download(`/api/v1/projects/${source.id}/bundle`);
    const onto = await upload(`/api/v1/projects/${copy.id}/bundle`, full);
    expect([onto.status, ((await onto.json()) as { error: string }).error]).toEqual([400, 'not_incremental']);
  });

  it('is 404 for an unknown snapshot and for another user; 400 for an empty since', async () => {
    expect(
      (await call(t.baseUrl, 'GET', `/api/v1/projects/${source.id}/bundle?since=nope`, { cookie: alice.cookie }))
        .status,
    ).toBe(404);
    expect(
      (await call(t.baseUrl, 'GET', `/api/v1/projects/${source.id}/bundle?since=`, { cookie: alice.cookie })).status,
    ).toBe(400);
    const theirs = await call(t.baseUrl, 'GET', `/api/v1/projects/${source.id}/bundle?since=${base.id}`, {
      cookie: bob.cookie,
    });
    expect(theirs.status).toBe(404);
    expect(theirs.headers.get('content-disposition')).toBeNull();
    const before = await snapshotsOf(copy.id);
    expect((await upload(`/api/v1/projects/${copy.id}/bundle`, incremental, bob)).status).toBe(404);
    expect(await snapshotsOf(copy.id)).toEqual(before);
  });
});
