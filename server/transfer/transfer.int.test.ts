// Projects in and out against a real server, workspace and PostgreSQL: a ZIP export imported
// again is byte-identical (binaries and exec bits included); a hostile ZIP is refused with a
// clear error and creates nothing; a duplicate stores no new bytes and opens with the files.
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDto, SnapshotDto } from '../contracts';
import { run } from '../runtime/runtime-test-helpers';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { connectAs, openRunningWorkspace, type TestSocket } from '../test-support/socket-client';
import { rawZip } from './zip/test-raw-zip';
import { readZip } from './zip';

let t: TestServer;
let alice: TestUser;
let bob: TestUser;
let tab: TestSocket;
const made: string[] = [];

beforeAll(async () => {
  t = await startTestServer({ SNAPSHOT_DEBOUNCE_SECONDS: '3600' });
  alice = await createSignedInUser(t.baseUrl);
  bob = await createSignedInUser(t.baseUrl);
  tab = await connectAs(t, alice);
}, 60_000);

afterAll(async () => {
  tab?.close();
  for (const id of made) await call(t.baseUrl, 'DELETE', `/api/v1/projects/${id}`, { cookie: alice.cookie });
  await t?.stop();
});

async function newProject(name: string): Promise<ProjectDto> {
  const project = (await (
    await call(t.baseUrl, 'POST', '/api/v1/projects', { cookie: alice.cookie }, { name, template: 'blank-node' })
  ).json()) as ProjectDto;
  made.push(project.id);
  return project;
}

const sh = async (projectId: string, script: string) => {
  const result = await run(t.server.runtime, projectId, ['sh', '-c', script]);
  if (result.code !== 0) throw new Error(`${script}: ${result.output}`);
  return result.output;
};

function upload(zip: Buffer, name?: string, user: TestUser = alice): Promise<Response> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(zip)], { type: 'application/zip' }), 'project.zip');
  if (name) form.set('name', name);
  return fetch(`${t.baseUrl}/api/v1/projects/import`, {
    method: 'POST',
    headers: { Cookie: user.cookie, Origin: t.origin },
    body: form,
  });
}

const projectCount = async () =>
  ((await (await call(t.baseUrl, 'GET', '/api/v1/projects', { cookie: alice.cookie })).json()) as ProjectDto[]).length;

describe('export, import and duplicate', () => {
  let source: ProjectDto;
  let checksums: string;
  const listing = 'find . -path ./.home -prune -o -type f -print | sort | xargs sha256sum; stat -c "%a %n" run.sh';

  beforeAll(async () => {
    source = await newProject('Exported');
    await openRunningWorkspace(tab, source.id);
    await sh(
      source.id,
      'mkdir -p src/deep && printf "hello" > src/a.txt && head -c 100000 /dev/urandom > src/deep/blob.bin && : > empty.txt && printf "#!/bin/sh\\necho run\\n" > run.sh && chmod 755 run.sh',
    );
    checksums = await sh(source.id, listing);
  }, 120_000);

  it('exports a ZIP (ignore rules applied) that imports as a byte-identical project', async () => {
    const response = await call(t.baseUrl, 'GET', `/api/v1/projects/${source.id}/export.zip`, { cookie: alice.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="Exported.zip"');
    const zip = Buffer.from(await response.arrayBuffer());

    const imported = await upload(zip, 'Imported');
    expect(imported.status).toBe(201);
    const project = (await imported.json()) as ProjectDto;
    made.push(project.id);
    expect(project.name).toBe('Imported');
    const status = await openRunningWorkspace(tab, project.id);
    expect(status.restoredFrom).toBeDefined();
    expect(await sh(project.id, listing)).toBe(checksums);
  });

  it('refuses hostile ZIPs with a clear error and creates nothing', async () => {
    const before = await projectCount();
    const cases: [Buffer, number, string][] = [
      [
        rawZip([
          { name: 'ok.txt', data: Buffer.from('fine') },
          { name: '../../evil.txt', data: Buffer.from('x') },
        ]),
        400,
        'bad_path',
      ],
      [rawZip([{ name: '/etc/passwd', data: Buffer.from('x') }]), 400, 'bad_path'],
      [rawZip([{ name: 'link', data: Buffer.from('/etc'), unixMode: 0o120777 }]), 400, 'symlink'],
      [Buffer.from('PK\x03\x04 this is not really a zip'), 400, 'corrupt'],
    ];
    for (const [zip, status, code] of cases) {
      const response = await upload(zip);
      const body = (await response.json()) as { error: string; message: string };
      expect([response.status, body.error], body.message).toEqual([status, code]);
      expect(body.message.length).toBeGreaterThan(10);
    }
    expect(await projectCount()).toBe(before);
  });

  it('refuses uploads that are not multipart, and other people cannot export', async () => {
    const notMultipart = await fetch(`${t.baseUrl}/api/v1/projects/import`, {
      method: 'POST',
      headers: { Cookie: alice.cookie, Origin: t.origin, 'Content-Type': 'application/zip' },
      body: new Uint8Array(randomBytes(10)),
    });
    expect(notMultipart.status).toBe(415);
    expect(
      (await call(t.baseUrl, 'GET', `/api/v1/projects/${source.id}/export.zip`, { cookie: bob.cookie })).status,
    ).toBe(404);
    expect(
      (await call(t.baseUrl, 'POST', `/api/v1/projects/${source.id}/duplicate`, { cookie: bob.cookie })).status,
    ).toBe(404);
  });

  it('duplicates without storing new bytes, and the copy opens with the files', async () => {
    const response = await call(t.baseUrl, 'POST', `/api/v1/projects/${source.id}/duplicate`, { cookie: alice.cookie });
    expect(response.status).toBe(201);
    const copy = (await response.json()) as ProjectDto;
    made.push(copy.id);
    expect(copy.name).toBe('Exported copy');
    const [first] = (await (
      await call(t.baseUrl, 'GET', `/api/v1/projects/${copy.id}/snapshots`, { cookie: alice.cookie })
    ).json()) as SnapshotDto[];
    expect(first).toMatchObject({ reason: 'duplicate', newBytes: 0 });
    await openRunningWorkspace(tab, copy.id);
    expect(await sh(copy.id, listing)).toBe(checksums);
    const again = (await (
      await call(
        t.baseUrl,
        'POST',
        `/api/v1/projects/${copy.id}/snapshots`,
        { cookie: alice.cookie },
        { label: 'copy' },
      )
    ).json()) as SnapshotDto;
    expect(again.newBytes).toBe(0);
  });

  it('a bundle carries the whole history to a new project; a tampered one is refused', async () => {
    await call(
      t.baseUrl,
      'POST',
      `/api/v1/projects/${source.id}/snapshots`,
      { cookie: alice.cookie },
      { label: 'for the bundle' },
    );
    const history = (await (
      await call(t.baseUrl, 'GET', `/api/v1/projects/${source.id}/snapshots`, { cookie: alice.cookie })
    ).json()) as SnapshotDto[];
    const response = await call(t.baseUrl, 'GET', `/api/v1/projects/${source.id}/bundle`, { cookie: alice.cookie });
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="Exported.berth.zip"');
    const imported = await upload(Buffer.from(await response.arrayBuffer()));
    expect(imported.status).toBe(201);
    const project = (await imported.json()) as ProjectDto;
    made.push(project.id);
    expect(project.name).toBe('Exported');
    const copied = (await (
      await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/snapshots`, { cookie: alice.cookie })
    ).json()) as SnapshotDto[];
    expect(copied.map((s) => [s.createdAt, s.reason, s.label, s.fileCount])).toEqual(
      history.map((s) => [s.createdAt, s.reason, s.label, s.fileCount]),
    );
    await openRunningWorkspace(tab, project.id);
    expect(await sh(project.id, listing)).toBe(checksums);

    const before = await projectCount();
    const fake = 'a'.repeat(64);
    const manifest = {
      format: 'berth-bundle/1',
      project: { name: 'Tampered', template: 'blank-node' },
      snapshots: [
        {
          createdAt: new Date().toISOString(),
          reason: 'manual',
          label: null,
          skipped: [],
          files: [{ path: 'x.txt', mode: 0o100644, size: 4, sha256: fake }],
        },
      ],
    };
    const tampered = rawZip([
      { name: 'berth-bundle.json', data: Buffer.from(JSON.stringify(manifest)) },
      { name: `blobs/${fake}`, data: Buffer.from('evil') },
    ]);
    const refused = await upload(tampered);
    expect([refused.status, ((await refused.json()) as { error: string }).error]).toEqual([400, 'bad_bundle']);
    const escaping = {
      ...manifest,
      snapshots: [
        {
          ...manifest.snapshots[0]!,
          files: [
            {
              path: '../etc/x',
              mode: 0o100644,
              size: 0,
              sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
            },
          ],
        },
      ],
    };
    const escaped = await upload(
      rawZip([
        { name: 'berth-bundle.json', data: Buffer.from(JSON.stringify(escaping)) },
        { name: 'blobs/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', data: Buffer.alloc(0) },
      ]),
    );
    expect([escaped.status, ((await escaped.json()) as { error: string }).error]).toEqual([400, 'bad_path']);
    expect(await projectCount()).toBe(before);
  });

  it('the exported ZIP keeps exec bits for unzip', async () => {
    const response = await call(t.baseUrl, 'GET', `/api/v1/projects/${source.id}/export.zip`, { cookie: alice.cookie });
    const file = `/tmp/berth-export-${process.pid}.zip`;
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    const zip = await readZip(file);
    try {
      expect(zip.files.find((entry) => entry.path === 'run.sh')?.mode).toBe(0o755);
      expect(zip.files.map((entry) => entry.path).sort()).toEqual(
        [
          'empty.txt',
          'index.js',
          'package.json',
          'README.md',
          '.gitignore',
          'run.sh',
          'src/a.txt',
          'src/deep/blob.bin',
        ].sort(),
      );
    } finally {
      zip.close();
      await rm(file, { force: true });
    }
  });
});
