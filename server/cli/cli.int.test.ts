// The `berth` command line against a real Berth (real Docker workspace, real PostgreSQL), run as
// a child process (`node scripts/berth.mjs …`) with its own HOME and a temporary folder: login
// with a token, projects, clone, changes on both sides synced, a conflict answered with merge
// markers, status, watch carrying a save each way, the browser sign-in (through the API, and the
// CLI's own login approved there), and GET /cli serving one file that runs.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliLoginPollDto, CliLoginRequestDto, CliLoginStartDto, ProjectDto } from '../contracts';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';

const root = path.resolve(import.meta.dirname, '../..');
let t: TestServer;
let user: TestUser;
let token: string;
let home: string;
let project: ProjectDto;
let folder: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const cliEnv = () => ({ ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), NO_COLOR: '1' });

function startCli(args: string[], cwd = home, script = path.join(root, 'scripts/berth.mjs')) {
  const child = spawn(process.execPath, [script, ...args], { cwd, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done, output: () => ({ stdout, stderr }) };
}

const berth = (args: string[], cwd = home, script?: string) => startCli(args, cwd, script).done;

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const filePath = (projectId: string, file: string) =>
  `/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent(file)}`;

async function writeRemote(file: string, content: string): Promise<void> {
  const response = await fetch(`${t.baseUrl}${filePath(project.id, file)}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}` },
    body: content,
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

async function readRemote(file: string): Promise<string | null> {
  const response = await call(t.baseUrl, 'GET', filePath(project.id, file), { token });
  if (response.status === 404) return null;
  expect(response.status).toBe(200);
  return response.text();
}

const readLocal = (file: string) => readFile(path.join(folder, file), 'utf8').catch(() => null);

beforeAll(async () => {
  t = await startTestServer({ SNAPSHOT_DEBOUNCE_SECONDS: '3600' });
  user = await createSignedInUser(t.baseUrl);
  const made = await call(t.baseUrl, 'POST', '/api/v1/tokens', { cookie: user.cookie }, { name: 'cli test' });
  token = ((await made.json()) as { token: string }).token;
  const created = await call(
    t.baseUrl,
    'POST',
    '/api/v1/projects',
    { token },
    { name: 'cli app', template: 'blank-node' },
  );
  project = (await created.json()) as ProjectDto;
  home = await mkdtemp(path.join(tmpdir(), 'berth-cli-home-'));
  folder = path.join(home, 'app');
  await writeRemote('shared.txt', 'one\ntwo\nthree\n');
}, 180_000);

afterAll(async () => {
  await t?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('berth CLI against a real Berth', { timeout: 120_000 }, () => {
  it('signs in with a token, keeping it 0600, and lists the projects', async () => {
    const login = await berth(['login', t.baseUrl, '--token', token]);
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`as ${user.email}`);
    const credentials = path.join(home, 'config', 'berth', 'credentials.json');
    expect((await stat(credentials)).mode & 0o777).toBe(0o600);

    const refused = await berth(['login', t.baseUrl, '--token', 'berth_pat_wrong']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refused the token/);

    const list = await berth(['projects']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('cli app');
    expect(list.stdout).toContain(project.id);
  });

  it('clones a project by name into a new folder', async () => {
    const run = await berth(['clone', 'cli app', 'app']);
    expect(run.stderr).toContain('Cloning cli app');
    expect(run.code).toBe(0);
    expect(await readLocal('shared.txt')).toBe('one\ntwo\nthree\n');
    expect(await readLocal('package.json')).toContain('"name"');
    const config = JSON.parse(await readFile(path.join(folder, '.berth/config.json'), 'utf8')) as object;
    expect(config).toEqual({ url: t.baseUrl, projectId: project.id, projectName: 'cli app' });
    expect(await readFile(path.join(folder, '.berth/.gitignore'), 'utf8')).toBe('*\n');
  });

  it('syncs changes both ways, reports them in status first, and leaves ignored files alone', async () => {
    await writeFile(path.join(folder, 'local.txt'), 'from the folder\n');
    await writeFile(path.join(folder, '.env'), 'SECRET=1\n');
    await writeRemote('remote.txt', 'from the Berth\n');

    const status = await berth(['status'], folder);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/Changes here \(1\):\n {2}A local\.txt/);
    expect(status.stdout).toMatch(/Changes on the Berth \(1\):\n {2}A remote\.txt/);

    const run = await berth(['sync'], folder);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('↑ 1 file · ↓ 1 file · ⚠ 0 conflicts');
    expect(await readRemote('local.txt')).toBe('from the folder\n');
    expect(await readLocal('remote.txt')).toBe('from the Berth\n');
    expect(await readRemote('.env')).toBeNull();

    const again = await berth(['sync'], folder);
    expect(again.stdout).toContain('↑ 0 files · ↓ 0 files · ⚠ 0 conflicts');
  });

  it('lists a conflict with ask, then merges it with markers on both sides', async () => {
    await writeFile(path.join(folder, 'shared.txt'), 'one\ntwo\nthree (folder)\n');
    await writeRemote('shared.txt', 'one\ntwo\nthree (Berth)\n');

    const asked = await berth(['sync'], folder);
    expect(asked.code).toBe(3);
    expect(asked.stdout).toContain('⚠ shared.txt: changed on both sides');
    expect(asked.stdout).toContain('--on-conflict');
    expect(await readLocal('shared.txt')).toBe('one\ntwo\nthree (folder)\n');
    expect(await readRemote('shared.txt')).toBe('one\ntwo\nthree (Berth)\n');

    const merged = await berth(['sync', '--on-conflict', 'merge'], folder);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain('shared.txt: merged with conflict markers');
    const local = await readLocal('shared.txt');
    expect(local).toContain('<<<<<<< local');
    expect(local).toContain('three (folder)');
    expect(local).toContain('three (Berth)');
    expect(await readRemote('shared.txt')).toBe(local);
  });

  it('remote-wins overwrites a local edit; berth undo brings it back, the Berth untouched, and the next sync asks', async () => {
    await writeFile(path.join(folder, 'shared.txt'), 'my edit\n');
    await writeRemote('shared.txt', 'the Berth edit\n');
    const synced = await berth(['sync', '--on-conflict', 'remote'], folder);
    expect(synced.code).toBe(0);
    expect(synced.stdout).toContain("⚠ shared.txt: took the Berth's version");
    expect(synced.stdout).toContain('undo with: berth undo\n');
    expect(await readLocal('shared.txt')).toBe('the Berth edit\n');

    const list = await berth(['undo', '--list'], folder);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/before sync with .*\(1 overwritten · 0 deleted · 0 created\) {2}← berth undo/);

    const undone = await berth(['undo'], folder);
    expect(undone.stderr).toBe('');
    expect(undone.code).toBe(0);
    expect(undone.stdout).toContain('↺ shared.txt (put back)');
    expect(undone.stdout).toContain('The Berth side has its own "before sync with');
    expect(await readLocal('shared.txt')).toBe('my edit\n');
    expect(await readRemote('shared.txt')).toBe('the Berth edit\n');

    // The edit is not uploaded over the Berth's unasked: both changed since the state agreed before.
    const status = await berth(['status'], folder);
    expect(status.stdout).toContain('M shared.txt   ⚠ changed on both sides');
    const kept = await berth(['sync', '--on-conflict', 'local'], folder);
    expect(kept.code).toBe(0);
    expect(await readRemote('shared.txt')).toBe('my edit\n');
  });

  it('clone connects a folder that already has files: nothing uploaded unasked, a difference asked', async () => {
    const existing = path.join(home, 'existing');
    await mkdir(existing);
    await writeFile(path.join(existing, 'mine.txt'), 'only here\n');
    await writeFile(path.join(existing, 'local.txt'), 'from the folder\n');
    await writeFile(path.join(existing, 'remote.txt'), 'another remote.txt\n');
    const run = await berth(['clone', project.id, 'existing']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Connecting ~/existing (it already has files) to cli app');
    expect(run.stdout).toContain('⚠ remote.txt: changed on both sides');
    expect(run.stdout).toContain('undo with: berth undo existing');
    expect(run.stderr).toContain('note: 1 file is only in this folder');
    expect(await readRemote('mine.txt')).toBeNull();
    expect(await readFile(path.join(existing, 'remote.txt'), 'utf8')).toBe('another remote.txt\n');
    expect(await readFile(path.join(existing, 'package.json'), 'utf8')).toContain('"name"');

    const twice = await berth(['clone', project.id, 'existing']);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('already a synced copy of cli app; use berth sync');
    const other = path.join(home, 'other');
    await mkdir(path.join(other, '.berth'), { recursive: true });
    await writeFile(path.join(other, 'a.txt'), 'a');
    await writeFile(
      path.join(other, '.berth/config.json'),
      JSON.stringify({ url: t.baseUrl, projectId: 'another-project', projectName: 'another' }),
    );
    const refused = await berth(['clone', project.id, 'other']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already a synced copy of another');
  });

  it('watch carries a save on the Berth to the folder and one in the folder to the Berth, and stops on Ctrl-C', async () => {
    const watching = startCli(['watch'], folder);
    try {
      await eventually(async () => watching.output().stderr.includes('Watching'), 'watch to start');
      await writeRemote('from-berth.txt', 'saved in the workspace\n');
      await eventually(async () => (await readLocal('from-berth.txt')) === 'saved in the workspace\n', 'the folder');
      await writeFile(path.join(folder, 'from-folder.txt'), 'saved in the folder\n');
      await eventually(async () => (await readRemote('from-folder.txt')) === 'saved in the folder\n', 'the Berth');
      // One command changes a folder at a time; status only looks.
      const busy = await berth(['sync'], folder);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toMatch(/berth watch \(pid \d+\) is using this folder/);
      expect((await berth(['status'], folder)).code).toBe(0);
    } finally {
      watching.child.kill('SIGINT');
    }
    const run = await watching.done;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Stopped watching.');
  });

  it('signs in through the browser: start, approve with a session and Origin, collect the token once', async () => {
    const start = await call(t.baseUrl, 'POST', '/api/v1/cli/login', {}, { device: 'test-laptop' });
    expect(start.status).toBe(201);
    const login = (await start.json()) as CliLoginStartDto;
    expect(login.code).toMatch(/^[A-Z]{4}-[0-9]{4}$/);
    expect(login.approveUrl).toBe(`${t.origin}/cli/approve`);
    const poll = () => call(t.baseUrl, 'POST', '/api/v1/cli/login/poll', {}, { pollToken: login.pollToken });

    expect(await (await poll()).json()).toEqual({ status: 'pending' });
    const seen = await call(t.baseUrl, 'GET', `/api/v1/cli/login/${login.code}`, { cookie: user.cookie });
    expect((await seen.json()) as CliLoginRequestDto).toMatchObject({ device: 'test-laptop', status: 'pending' });

    const approve = (auth: Parameters<typeof call>[3]) =>
      call(t.baseUrl, 'POST', '/api/v1/cli/login/approve', auth, { code: login.code.toLowerCase() });
    expect((await approve({ cookie: user.cookie, origin: 'http://evil.example' })).status).toBe(403);
    expect((await approve({ cookie: user.cookie, origin: null })).status).toBe(403);
    expect((await approve({ token })).status).toBe(403);
    expect((await approve({})).status).toBe(401);
    expect((await call(t.baseUrl, 'POST', '/api/v1/cli/login/approve', { cookie: user.cookie }, {})).status).toBe(400);
    const approved = await approve({ cookie: user.cookie });
    expect(approved.status).toBe(200);
    expect((await approve({ cookie: user.cookie })).status).toBe(409);

    const collected = (await (await poll()).json()) as CliLoginPollDto;
    expect(collected.status).toBe('approved');
    const newToken = collected.status === 'approved' ? collected.token : '';
    const me = await call(t.baseUrl, 'GET', '/api/v1/me', { token: newToken });
    expect(((await me.json()) as { email: string }).email).toBe(user.email);
    expect((await poll()).status).toBe(404);
    const tokens = (await (await call(t.baseUrl, 'GET', '/api/v1/tokens', { cookie: user.cookie })).json()) as {
      name: string;
    }[];
    expect(tokens.map((row) => row.name)).toContain('berth CLI (test-laptop)');
  });

  it('berth login without a token waits for the approval in the browser and saves the token', async () => {
    const login = startCli(['login', t.baseUrl]);
    let code = '';
    await eventually(async () => {
      code = /code: ([A-Z]{4}-[0-9]{4})/.exec(login.output().stderr)?.[1] ?? '';
      return code !== '';
    }, 'the code');
    const approved = await call(t.baseUrl, 'POST', '/api/v1/cli/login/approve', { cookie: user.cookie }, { code });
    expect(approved.status).toBe(200);
    const run = await login.done;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Signed in to ${t.baseUrl} as ${user.email}`);
    const list = await berth(['projects']);
    expect(list.stdout).toContain('cli app');
  });

  it('GET /cli serves the command line as one file that runs on its own', async () => {
    const response = await fetch(`${t.baseUrl}/cli`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="berth.mjs"');
    const file = path.join(home, 'downloaded', 'berth.mjs');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    const help = await berth(['--help'], path.dirname(file), file);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('berth clone <project> [dir]');
    // And a real command, from a folder with no checkout around it.
    const status = await berth(['status'], folder, file);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('Project cli app');
  });

  it('a revoked token ends sync and watch with a clear message', async () => {
    const listed = await call(t.baseUrl, 'GET', '/api/v1/tokens', { cookie: user.cookie });
    for (const row of (await listed.json()) as { id: string; name: string }[])
      if (row.name.startsWith('berth CLI ('))
        expect((await call(t.baseUrl, 'DELETE', `/api/v1/tokens/${row.id}`, { cookie: user.cookie })).status).toBe(204);
    const sync = await berth(['sync'], folder);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toMatch(/refused the token .*berth login/);
    const watching = await berth(['watch'], folder);
    expect(watching.code).toBe(1);
    expect(watching.stderr).toMatch(/refused the token/);
  });
});
