// Remotes, push, pull and fetch for real: git in the project's workspace container talks to a
// real git server (`git http-backend` behind basic auth) on this machine's address, which the
// test Berth lists in GIT_ALLOW_PRIVATE_HOSTS. The user's token reaches git through the
// credential helper only: never in a process's argv or environment, .git/config, or the logs.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  GitCommitDto,
  GitCredentialDto,
  GitProgressDto,
  GitRemoteDto,
  GitStatusDto,
  GitSyncResultDto,
  ProjectDto,
} from '../contracts';
import { createLogger } from '../core/logger';
import { run } from '../runtime/runtime-test-helpers';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { startGitHttpServer, type GitHttpServer } from '../test-support/git-http-server';
import { connectAs, openRunningWorkspace, type TestSocket } from '../test-support/socket-client';

const TOKEN = `berth-test-token-${Date.now().toString(36)}-0123456789abcdef`;
const logs: string[] = [];
let server: GitHttpServer;
let t: TestServer;
let alice: TestUser;
let bob: TestUser;
let tab: TestSocket;
let project: ProjectDto;
let git: string;
let repoUrl: string;
let elsewhere: string;

beforeAll(async () => {
  server = await startGitHttpServer({ username: 'alice', password: TOKEN });
  repoUrl = server.createRepo('alice');
  elsewhere = await mkdtemp(path.join(tmpdir(), 'berth-git-elsewhere-'));
  t = await startTestServer(
    { GIT_ALLOW_PRIVATE_HOSTS: server.address },
    createLogger('debug', { write: (line: string) => void logs.push(line) }),
  );
  alice = await createSignedInUser(t.baseUrl);
  bob = await createSignedInUser(t.baseUrl);
  const made = await call(
    t.baseUrl,
    'POST',
    '/api/v1/projects',
    { cookie: alice.cookie },
    { name: 'remotes', template: 'blank-node' },
  );
  project = (await made.json()) as ProjectDto;
  git = `/api/v1/projects/${project.id}/git`;
  tab = await connectAs(t, alice);
  await openRunningWorkspace(tab, project.id);
}, 120_000);

afterAll(async () => {
  tab?.close();
  if (t && project) await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: alice.cookie });
  await t?.stop();
  await server?.close();
  if (elsewhere) await rm(elsewhere, { recursive: true, force: true });
});

const api = async <T>(method: string, route: string, body?: unknown, user: TestUser = alice) => {
  const response = await call(t.baseUrl, method, route, { cookie: user.cookie }, body);
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : null) as T };
};
const ok = async <T>(method: string, route: string, body?: unknown) => {
  const { status, json } = await api<T>(method, route, body);
  if (status >= 300) throw new Error(`${method} ${route} → ${status} ${JSON.stringify(json)}`);
  return json;
};
type Refusal = { error: string; message: string; hint?: string };
const write = async (file: string, text: string) => {
  const response = await fetch(
    `${t.baseUrl}/api/v1/projects/${project.id}/files/content?path=${encodeURIComponent(file)}`,
    { method: 'PUT', headers: { Cookie: alice.cookie, Origin: t.origin }, body: text },
  );
  expect(response.status).toBeLessThan(300);
};
const commit = async (file: string, text: string, message: string) => {
  await write(file, text);
  await ok('POST', `${git}/stage`, { paths: [file] });
  return ok<GitCommitDto>('POST', `${git}/commit`, { message });
};
const inContainer = async (script: string) => (await run(t.server.runtime, project.id, ['sh', '-c', script])).output;
const serverGit = (...args: string[]) =>
  execFileSync('git', ['--git-dir', path.join(server.root, 'alice.git'), ...args])
    .toString()
    .trim();
/** A commit made on the server's side, as another developer would push it. */
const commitOnServer = async (file: string, message: string) => {
  const work = path.join(elsewhere, `w-${Date.now()}`);
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'o',
    GIT_AUTHOR_EMAIL: 'o@x.test',
    GIT_COMMITTER_NAME: 'o',
    GIT_COMMITTER_EMAIL: 'o@x.test',
  };
  execFileSync('git', ['clone', '-q', path.join(server.root, 'alice.git'), work]);
  await writeFile(path.join(work, file), `${message}\n`);
  execFileSync('git', ['add', file], { cwd: work, env });
  execFileSync('git', ['commit', '-q', '-m', message], { cwd: work, env });
  execFileSync('git', ['push', '-q', 'origin', 'HEAD:main'], { cwd: work, env });
};

describe('git remotes, push, pull and fetch', () => {
  it('refuses remote URLs the import rules refuse (400, with the reason), then adds origin', async () => {
    await ok('POST', `${git}/init`);
    await commit('README.md', '# remotes\n', 'first');
    for (const [url, pattern] of [
      ['file:///etc', /Only https/],
      ['ext::sh -c touch% /tmp/x', /Not a URL|Only https/],
      ['https://127.0.0.1/repo.git', /internal address/],
      ['http://example.com/repo.git', /Only https/],
      [`http://alice:${TOKEN}@${server.host}/alice.git`, /Leave the user name and token out/],
    ] as const) {
      const { status, json } = await api<Refusal>('POST', `${git}/remotes`, { name: 'bad', url });
      expect([status, json.error], url).toEqual([400, 'bad_git_url']);
      expect(json.message).toMatch(pattern);
    }
    expect((await api('POST', `${git}/remotes`, { name: '--upload-pack=x', url: repoUrl })).status).toBe(400);
    expect(await ok<GitRemoteDto>('POST', `${git}/remotes`, { name: 'origin', url: repoUrl })).toEqual({
      name: 'origin',
      url: repoUrl,
    });
    expect(await ok<GitRemoteDto[]>('GET', `${git}/remotes`)).toEqual([{ name: 'origin', url: repoUrl }]);
  });

  it('a push without a token is a 409 auth failure with the next step', async () => {
    const { status, json } = await api<Refusal>('POST', `${git}/push`, {});
    expect([status, json.error], JSON.stringify(json)).toEqual([409, 'git_auth_failed']);
    expect(json.message).toMatch(/could not read Username|Authentication failed/i);
    expect(json.hint).toBe(`Add a token for ${server.host} in Settings → Git`);
  });

  it('saves the token sealed and lists it masked', async () => {
    const saved = await ok<GitCredentialDto>('PUT', '/api/v1/me/git-credentials', {
      host: server.host,
      username: 'alice',
      token: TOKEN,
    });
    expect(saved).toMatchObject({ host: server.host, username: 'alice', tokenMasked: `••••${TOKEN.slice(-4)}` });
    const listed = await ok<GitCredentialDto[]>('GET', '/api/v1/me/git-credentials');
    expect(listed.map((entry) => entry.host)).toEqual([server.host]);
    expect(JSON.stringify(listed)).not.toContain(TOKEN.slice(0, 20));
    expect((await api<GitCredentialDto[]>('GET', '/api/v1/me/git-credentials', undefined, bob)).json).toEqual([]);
  });

  it('pushes to the empty server repository with the token, which shows in no argv, environment or config', async () => {
    const held = server.holdNextPush();
    const pushing = api<GitSyncResultDto>('POST', `${git}/push`, {});
    await held.arrived;
    // git is waiting on the server now: every process of the container, their argv and environment.
    const processes = await inContainer(
      'ps -eo args; ps e -eo args; for p in /proc/[0-9]*; do tr "\\0" " " <$p/cmdline; echo; tr "\\0" "\\n" <$p/environ 2>/dev/null; done',
    );
    // …and fd 9, where git's processes ask for the credential: a socket, which another process
    // of the workspace user cannot open through /proc (a file or a pipe there could be read).
    const fd9 = await inContainer(
      'for f in /proc/[0-9]*/fd/9; do [ -e "$f" ] || [ -L "$f" ] || continue; echo "$f -> $(readlink "$f")"; timeout 2 cat "$f" </dev/null 2>&1; done',
    );
    held.release();
    expect(processes).toContain('git-remote-http');
    expect(processes).not.toContain(TOKEN);
    expect(fd9).toMatch(/fd\/9 -> socket:\[\d+\]/);
    expect(fd9).toMatch(/No such device or address/);
    expect(fd9).not.toContain(TOKEN);
    const { status, json } = await pushing;
    expect(status, JSON.stringify(json)).toBe(200);
    expect(json).toMatchObject({ outcome: 'pushed', remote: 'origin', branch: 'main' });
    const head = (await ok<GitCommitDto[]>('GET', `${git}/log?limit=1`))[0]!.hash;
    expect(serverGit('rev-parse', 'main')).toBe(head);
    // -u: main now tracks origin/main.
    expect(await ok<GitStatusDto>('GET', `${git}/status`)).toMatchObject({ upstream: 'origin/main', ahead: 0 });
    const leftovers = await inContainer('cat .git/config; ls -A /dev/shm /tmp 2>/dev/null');
    expect(leftovers).not.toContain(TOKEN);
    expect(leftovers).not.toContain('berth-git');
  });

  it('a push the server would lose commits by is refused (409): pull first', async () => {
    await commitOnServer('theirs.txt', 'their change');
    await commit('mine.txt', 'mine\n', 'my change');
    const { status, json } = await api<Refusal>('POST', `${git}/push`, {});
    expect([status, json.error], JSON.stringify(json)).toEqual([409, 'git_push_rejected']);
    expect(json.message).toMatch(/rejected/);
    expect(json.hint).toBe('Pull first, then push');
  });

  it('pull brings the server commit (a merge commit here); then the push goes through', async () => {
    const pulled = await ok<GitSyncResultDto>('POST', `${git}/pull`, {});
    expect(pulled).toMatchObject({ outcome: 'merged', remote: 'origin', branch: 'main', conflicts: [] });
    const subjects = (await ok<GitCommitDto[]>('GET', `${git}/log?limit=5`)).map((entry) => entry.subject);
    expect(subjects).toContain('their change');
    expect(subjects).toContain('my change');
    expect(await inContainer('cat theirs.txt')).toBe('their change\n');
    expect(await ok<GitSyncResultDto>('POST', `${git}/push`, { remote: 'origin', branch: 'main' })).toMatchObject({
      outcome: 'pushed',
    });
    expect(serverGit('log', '-1', '--format=%s', 'main')).toMatch(/^Merge /);
    expect(await ok<GitSyncResultDto>('POST', `${git}/pull`, {})).toMatchObject({ outcome: 'up-to-date' });
  });

  it("a push sends git's progress live to the owner's tabs, to no other user's; the answer is as without it", async () => {
    // ~2 MB that does not compress: git reports its counting, compressing and writing.
    await inContainer('for i in 1 2 3 4 5 6 7 8; do head -c 250000 /dev/urandom | base64 > big-$i.txt; done');
    await ok('POST', `${git}/stage`, { paths: [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `big-${i}.txt`) });
    await ok<GitCommitDto>('POST', `${git}/commit`, { message: 'big files' });
    const intruder = await connectAs(t, bob);
    try {
      expect((await intruder.call('workspace:open', { projectId: project.id })).ok).toBe(false);
      const seen: GitProgressDto[] = [];
      const seenByBob: unknown[] = [];
      tab.socket.on('git:progress', (progress: GitProgressDto) => seen.push(progress));
      intruder.socket.on('git:progress', (progress: unknown) => seenByBob.push(progress));
      const counted = tab.waitFor<GitProgressDto>('git:progress', (progress) => progress.percent !== undefined);
      const pushed = await ok<GitSyncResultDto>('POST', `${git}/push`, {});
      const first = await counted;
      expect(first).toMatchObject({ projectId: project.id, operation: 'push' });
      expect(first.percent).toBeGreaterThanOrEqual(0);
      expect(first.percent).toBeLessThanOrEqual(100);
      expect(first.text).toContain(first.phase);
      expect(seen.map((progress) => progress.phase)).toContain('Writing objects');
      expect(JSON.stringify(seen)).not.toContain(TOKEN);
      expect(seenByBob).toEqual([]);
      expect(pushed).toMatchObject({ outcome: 'pushed' });
      expect(pushed.message).toMatch(/^To http:[^\n]*\n[^\n]*main -> main(\n|$)/);
      expect(pushed.message).not.toMatch(/objects|%|Total \d/);
    } finally {
      tab.socket.off('git:progress');
      intruder.close();
    }
  });

  it('fetch updates the remote branch without touching the working tree', async () => {
    await commitOnServer('later.txt', 'a later change');
    const progress = tab.waitFor<GitProgressDto>('git:progress', (update) => update.operation === 'fetch');
    const fetched = await ok<GitSyncResultDto>('POST', `${git}/fetch`, {});
    expect(fetched).toMatchObject({ outcome: 'fetched' });
    // The remote's progress comes relayed ("remote: …"); the answer is git's output without it.
    expect(await progress).toMatchObject({ projectId: project.id, operation: 'fetch' });
    expect(fetched.message).not.toMatch(/objects|%/);
    expect(await ok<GitStatusDto>('GET', `${git}/status`)).toMatchObject({ behind: 1, ahead: 0 });
    expect(await inContainer('test -e later.txt && echo there || echo absent')).toBe('absent\n');
  });

  it('a pull that conflicts reports the conflicts, as the merge route does', async () => {
    await commitOnServer('README.md', 'their readme');
    await commit('README.md', '# my readme\n', 'my readme');
    const pulled = await ok<GitSyncResultDto>('POST', `${git}/pull`, {});
    expect(pulled).toMatchObject({ outcome: 'conflicts', conflicts: [{ path: 'README.md', code: 'UU' }] });
    expect(pulled.conflicts.map((conflict) => conflict.path)).toEqual(['README.md']);
    expect((await ok<GitStatusDto>('GET', `${git}/status`)).conflicts.map((c) => c.path)).toEqual(['README.md']);
    await inContainer('git merge --abort');
  });

  it('a remote URL changed in the terminal is checked again before each fetch, pull and push', async () => {
    await inContainer(`git config remote.origin.url file:///tmp/elsewhere.git`);
    for (const route of ['fetch', 'pull', 'push']) {
      const { status, json } = await api<Refusal>('POST', `${git}/${route}`, {});
      expect([status, json.error], route).toEqual([400, 'bad_git_url']);
    }
    // An insteadOf rewrite is what git would use, so it is what gets checked.
    await inContainer(
      `git config remote.origin.url ${repoUrl} && git config url.https://127.0.0.1/.insteadOf ${server.base}/`,
    );
    const rewritten = await api<Refusal>('POST', `${git}/fetch`, {});
    expect([rewritten.status, rewritten.json.error]).toEqual([400, 'bad_git_url']);
    expect(rewritten.json.message).toMatch(/internal address/);
    await inContainer('git config --remove-section url.https://127.0.0.1/');
    expect(await ok<GitSyncResultDto>('POST', `${git}/fetch`, {})).toMatchObject({ outcome: 'fetched' });
  });

  it("another user's project is 404 on every route; bad bodies are 400", async () => {
    for (const [method, route, body] of [
      ['GET', `${git}/remotes`, undefined],
      ['POST', `${git}/remotes`, { name: 'x', url: repoUrl }],
      ['DELETE', `${git}/remotes?name=origin`, undefined],
      ['POST', `${git}/fetch`, {}],
      ['POST', `${git}/pull`, {}],
      ['POST', `${git}/push`, {}],
    ] as const) {
      expect((await api(method, route, body, bob)).status, `${method} ${route}`).toBe(404);
    }
    expect((await api('POST', `${git}/push`, { branch: '-f' })).status).toBe(400);
    expect((await api('PUT', '/api/v1/me/git-credentials', { host: 'x y', token: 't' })).status).toBe(400);
  });

  it('the token is in no log line; deleting it and the remote works', async () => {
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toContain(TOKEN);
    expect((await api('DELETE', `/api/v1/me/git-credentials?host=${encodeURIComponent(server.host)}`)).status).toBe(
      204,
    );
    expect(await ok<GitCredentialDto[]>('GET', '/api/v1/me/git-credentials')).toEqual([]);
    expect((await api('DELETE', `${git}/remotes?name=origin`)).status).toBe(204);
    expect((await api('DELETE', `${git}/remotes?name=origin`)).status).toBe(404);
    expect(await ok<GitRemoteDto[]>('GET', `${git}/remotes`)).toEqual([]);
  });
});
