// Importing from git for real: a repository made by the test, served over git's plain HTTP
// protocol on this machine's own address (listed in GIT_ALLOW_PRIVATE_HOSTS, since it is
// internal), cloned inside the new project's workspace container. No internet involved.
import { execFileSync } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
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

const hostAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)!.address;
let t: TestServer;
let alice: TestUser;
let tab: TestSocket;
let repoDir: string;
let gitServer: http.Server;
let base: string;
const made: string[] = [];

beforeAll(async () => {
  repoDir = await mkdtemp(path.join(tmpdir(), 'berth-git-'));
  const work = path.join(repoDir, 'work');
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: work,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.test',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.test',
      },
    });
  execFileSync('git', ['init', '-q', '-b', 'main', work]);
  await writeFile(path.join(work, 'README.md'), '# From git\n');
  await writeFile(path.join(work, 'tool.sh'), '#!/bin/sh\necho tool\n', { mode: 0o755 });
  await writeFile(path.join(work, 'data.bin'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256)));
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  execFileSync('git', ['clone', '-q', '--bare', work, path.join(repoDir, 'repo.git')]);
  execFileSync('git', ['update-server-info'], { cwd: path.join(repoDir, 'repo.git') });
  // git's "dumb" HTTP protocol is plain static files.
  gitServer = http.createServer((req, res) => {
    const file = path.join(repoDir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(repoDir) || !statSync(file, { throwIfNoEntry: false })?.isFile())
      return void res.writeHead(404).end();
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => gitServer.listen(0, hostAddress, resolve));
  base = `http://${hostAddress}:${(gitServer.address() as AddressInfo).port}`;
  t = await startTestServer({ GIT_ALLOW_PRIVATE_HOSTS: hostAddress });
  alice = await createSignedInUser(t.baseUrl);
  tab = await connectAs(t, alice);
}, 60_000);

afterAll(async () => {
  tab?.close();
  for (const id of made) await call(t.baseUrl, 'DELETE', `/api/v1/projects/${id}`, { cookie: alice.cookie });
  await t?.stop();
  gitServer?.close();
  if (repoDir) await rm(repoDir, { recursive: true, force: true });
});

const importGit = (gitUrl: string, name?: string) =>
  call(t.baseUrl, 'POST', '/api/v1/projects/import', { cookie: alice.cookie }, { gitUrl, ...(name ? { name } : {}) });
const projectCount = async () =>
  ((await (await call(t.baseUrl, 'GET', '/api/v1/projects', { cookie: alice.cookie })).json()) as ProjectDto[]).length;

describe('import from a git URL', () => {
  it('clones inside the workspace; the project opens with the files and its history', async () => {
    const response = await importGit(`${base}/repo.git`);
    const body = (await response.json()) as ProjectDto;
    expect(response.status, JSON.stringify(body)).toBe(201);
    made.push(body.id);
    expect(body.name).toBe('repo');
    const [snapshot] = (await (
      await call(t.baseUrl, 'GET', `/api/v1/projects/${body.id}/snapshots`, { cookie: alice.cookie })
    ).json()) as SnapshotDto[];
    expect(snapshot).toMatchObject({ reason: 'import', label: 'Imported from git' });
    await openRunningWorkspace(tab, body.id);
    const { output } = await run(t.server.runtime, body.id, [
      'sh',
      '-c',
      'cat README.md; stat -c %a tool.sh; sha256sum data.bin | cut -c1-16; git log --format=%s; ls -A',
    ]);
    const expected = execFileSync('sh', ['-c', 'sha256sum data.bin | cut -c1-16'], {
      cwd: path.join(repoDir, 'work'),
    }).toString();
    expect(output).toBe(`# From git\n755\n${expected}first\n.git\nREADME.md\ndata.bin\ntool.sh\n`);
  });

  it('refuses URLs it must not clone, before creating anything', async () => {
    const before = await projectCount();
    for (const [url, pattern] of [
      ['file:///etc', /Only https/],
      ['https://127.0.0.1/repo.git', /internal address/],
      ['http://example.com/repo.git', /Only https/],
      ['not a url', /Not a URL/],
    ] as const) {
      const response = await importGit(url);
      const body = (await response.json()) as { error: string; message: string };
      expect([response.status, body.error]).toEqual([400, 'bad_git_url']);
      expect(body.message).toMatch(pattern);
    }
    expect(await projectCount()).toBe(before);
  });

  it('a clone that fails leaves no project behind and says why', async () => {
    const before = await projectCount();
    const response = await importGit(`${base}/missing.git`, 'Missing');
    const body = (await response.json()) as { error: string; message: string };
    expect([response.status, body.error]).toEqual([400, 'git_clone_failed']);
    expect(body.message).toMatch(/git clone failed: .*(not found|404)/i);
    expect(await projectCount()).toBe(before);
  });
});
