// Source control for real: git inside the project's real workspace container, driven through
// the REST routes as the browser will, files written through the file API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  GitBaseDto,
  GitBranchDto,
  GitCommitDetailDto,
  GitCommitDto,
  GitDiffDto,
  GitMergeResultDto,
  GitStatusDto,
} from '../contracts';
import { run } from '../runtime/runtime-test-helpers';
import { call, createSignedInUser, type TestUser } from '../test-support/api-test-server';
import { closeProjectFixture, openProjectFixture, type ProjectFixture } from '../test-support/project-fixture';

let fx: ProjectFixture;
let git: string;

beforeAll(async () => {
  fx = await openProjectFixture({ name: 'git', running: true });
  git = `/api/v1/projects/${fx.project.id}/git`;
}, 120_000);

afterAll(async () => {
  await closeProjectFixture(fx ?? {});
});

const api = async <T>(method: string, route: string, body?: unknown, user: TestUser = fx.user) => {
  const response = await call(fx.t.baseUrl, method, route, { cookie: user.cookie }, body);
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : null) as T };
};
const ok = async <T>(method: string, route: string, body?: unknown, expected = [200, 201, 204]) => {
  const { status, json } = await api<T>(method, route, body);
  if (!expected.includes(status)) throw new Error(`${method} ${route} → ${status} ${JSON.stringify(json)}`);
  return json;
};
const status = () => ok<GitStatusDto>('GET', `${git}/status`);
const write = async (path: string, text: string) => {
  const response = await fetch(
    `${fx.t.baseUrl}/api/v1/projects/${fx.project.id}/files/content?path=${encodeURIComponent(path)}`,
    { method: 'PUT', headers: { Cookie: fx.user.cookie, Origin: fx.t.origin }, body: text },
  );
  expect(response.status).toBeLessThan(300);
};
const read = async (path: string) => {
  const response = await fetch(
    `${fx.t.baseUrl}/api/v1/projects/${fx.project.id}/files/content?path=${encodeURIComponent(path)}`,
    { headers: { Cookie: fx.user.cookie } },
  );
  return { status: response.status, text: await response.text() };
};
const paths = (changes: { path: string }[]) => changes.map((change) => change.path).sort();

describe('source control', () => {
  it('reports no repository, then initialises one on main (once)', async () => {
    expect(await status()).toMatchObject({ initialized: false, branch: null });
    expect(await ok<GitBaseDto>('GET', `${git}/base?path=package.json`)).toEqual({
      path: 'package.json',
      tracked: false,
      text: '',
      binary: false,
      tooLarge: false,
    });
    const pushed = fx.tab.waitFor<{ projectId: string }>('git:changed', (p) => p.projectId === fx.project.id);
    const made = await ok<GitStatusDto>('POST', `${git}/init`);
    await pushed;
    expect(made).toMatchObject({ initialized: true, branch: 'main', head: null });
    expect(made.untracked.length).toBeGreaterThan(0);
    const again = await api<{ error: string }>('POST', `${git}/init`);
    expect(again.status).toBe(409);
  });

  it('stages, diffs, commits with the account name, discards', async () => {
    await write('notes with space.txt', 'one\ntwo\n');
    await write('-rf', 'not an option\n');
    let now = await status();
    expect(now.untracked).toEqual(expect.arrayContaining(['notes with space.txt', '-rf', 'package.json']));

    now = await ok<GitStatusDto>('POST', `${git}/stage`, { paths: ['notes with space.txt', '-rf'] });
    expect(paths(now.staged)).toEqual(['-rf', 'notes with space.txt']);
    expect(now.staged.every((change) => change.kind === 'added')).toBe(true);
    expect(now.untracked).not.toContain('-rf');

    const stagedDiff = await ok<GitDiffDto>(
      'GET',
      `${git}/diff?path=${encodeURIComponent('notes with space.txt')}&staged=true`,
    );
    expect(stagedDiff).toMatchObject({ original: '', modified: 'one\ntwo\n', binary: false, tooLarge: false });

    const committed = await ok<GitCommitDto>('POST', `${git}/commit`, { message: 'First commit\n\nWith a body' });
    expect(committed).toMatchObject({ author: fx.user.name, email: fx.user.email, subject: 'First commit' });
    const log = await ok<GitCommitDto[]>('GET', `${git}/log?limit=10`);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      hash: committed.hash,
      author: fx.user.name,
      message: 'First commit\n\nWith a body',
    });

    now = await status();
    expect(now.head).toBe(committed.hash);
    expect(now.staged).toEqual([]);
    expect(now.untracked).not.toContain('notes with space.txt');

    await write('notes with space.txt', 'one\nTWO\n');
    // The gutter's base is the index's text, not the working tree's.
    expect(await ok<GitBaseDto>('GET', `${git}/base?path=${encodeURIComponent('notes with space.txt')}`)).toMatchObject(
      { tracked: true, text: 'one\ntwo\n', binary: false },
    );
    expect((await ok<GitBaseDto>('GET', `${git}/base?path=package.json`)).tracked).toBe(false);
    now = await status();
    expect(now.changes).toEqual([{ path: 'notes with space.txt', kind: 'modified' }]);
    const diff = await ok<GitDiffDto>('GET', `${git}/diff?path=${encodeURIComponent('notes with space.txt')}`);
    expect(diff).toMatchObject({ staged: false, original: 'one\ntwo\n', modified: 'one\nTWO\n' });

    await write('scratch.txt', 'throw away\n');
    now = await ok<GitStatusDto>('POST', `${git}/discard`, { paths: ['notes with space.txt', 'scratch.txt'] });
    expect(now.changes).toEqual([]);
    expect(now.untracked).not.toContain('scratch.txt');
    expect((await read('notes with space.txt')).text).toBe('one\ntwo\n');
    expect((await read('scratch.txt')).status).toBe(404);
    expect((await read('-rf')).text).toBe('not an option\n');

    // The rest of the template, committed so the tree is clean for the branch tests.
    await ok('POST', `${git}/stage`, { paths: now.untracked });
    await ok('POST', `${git}/commit`, { message: 'Template' });
    now = await status();
    expect([...now.staged, ...now.changes, ...now.untracked]).toEqual([]);
  });

  it('unstages, and shows one commit with its files', async () => {
    await write('-rf', 'changed\n');
    await ok('POST', `${git}/stage`, { paths: ['-rf'] });
    const unstaged = await ok<GitStatusDto>('POST', `${git}/unstage`, { paths: ['-rf'] });
    expect(unstaged.staged).toEqual([]);
    expect(unstaged.changes).toEqual([{ path: '-rf', kind: 'modified' }]);
    await ok('POST', `${git}/discard`, { paths: ['-rf'] });

    const [first] = (await ok<GitCommitDto[]>('GET', `${git}/log?limit=5`)).slice(-1);
    const shown = await ok<GitCommitDetailDto>('GET', `${git}/commits/${first!.hash}`);
    expect(shown.parents).toEqual([]);
    expect(shown.files.find((file) => file.path === 'notes with space.txt')).toMatchObject({
      kind: 'added',
      original: '',
      modified: 'one\ntwo\n',
    });
  });

  it('creates, switches, refuses to switch over local changes, deletes branches', async () => {
    const created = await ok<GitBranchDto>('POST', `${git}/branches`, { name: 'feature/one' });
    expect(created).toMatchObject({ name: 'feature/one', current: false });
    let now = await ok<GitStatusDto>('POST', `${git}/checkout`, { branch: 'feature/one' });
    expect(now.branch).toBe('feature/one');
    await write('notes with space.txt', 'one\nfeature\n');
    await ok('POST', `${git}/stage`, { paths: ['notes with space.txt'] });
    await ok('POST', `${git}/commit`, { message: 'Feature change' });

    // Back on main, an uncommitted edit of the same file: switching would lose it.
    now = await ok<GitStatusDto>('POST', `${git}/checkout`, { branch: 'main' });
    expect(now.branch).toBe('main');
    await write('notes with space.txt', 'one\nlocal\n');
    const refused = await api<{ error: string; message: string }>('POST', `${git}/checkout`, { branch: 'feature/one' });
    expect(refused.status).toBe(409);
    expect(refused.json.message).toMatch(/local changes .* would be overwritten/);
    expect((await status()).branch).toBe('main');
    expect((await read('notes with space.txt')).text).toBe('one\nlocal\n');
    await ok('POST', `${git}/discard`, { paths: ['notes with space.txt'] });

    const names = (await ok<GitBranchDto[]>('GET', `${git}/branches`)).map((branch) => branch.name).sort();
    expect(names).toEqual(['feature/one', 'main']);
    // Not merged: git refuses without force.
    const unmerged = await api<{ message: string }>('DELETE', `${git}/branches?name=feature/one`);
    expect(unmerged.status).toBe(409);
    expect(unmerged.json.message).toMatch(/not fully merged/);
    await ok('POST', `${git}/branches`, { name: 'throwaway' });
    await ok('DELETE', `${git}/branches?name=throwaway`);
    expect((await api('DELETE', `${git}/branches?name=throwaway`)).status).toBe(404);
  });

  it('reports a merge conflict as conflicts in status', async () => {
    await write('notes with space.txt', 'one\nmain side\n');
    await ok('POST', `${git}/stage`, { paths: ['notes with space.txt'] });
    await ok('POST', `${git}/commit`, { message: 'Main change' });
    const merged = await ok<GitMergeResultDto>('POST', `${git}/merge`, { branch: 'feature/one' });
    expect(merged.outcome).toBe('conflicts');
    expect(merged.conflicts).toEqual([{ path: 'notes with space.txt', code: 'UU' }]);
    expect(merged.message).toMatch(/CONFLICT/);
    const now = await status();
    expect(now.conflicts).toEqual([{ path: 'notes with space.txt', code: 'UU' }]);
    expect((await read('notes with space.txt')).text).toMatch(/<<<<<<< HEAD/);
    // The conflicted file's diff: ours on the left (not an empty side), the markers on the right, both sides sent.
    const conflicted = await ok<GitDiffDto>('GET', `${git}/diff?path=${encodeURIComponent('notes with space.txt')}`);
    expect(conflicted).toMatchObject({
      conflict: true,
      original: 'one\nmain side\n',
      ours: 'one\nmain side\n',
      theirs: 'one\nfeature\n',
      binary: false,
    });
    expect(conflicted.modified).toMatch(/<<<<<<< HEAD\nmain side\n=======\nfeature\n>>>>>>> feature\/one/);

    // Resolved, staged, committed: a merge commit with two parents.
    await write('notes with space.txt', 'one\nboth\n');
    await ok('POST', `${git}/stage`, { paths: ['notes with space.txt'] });
    const commit = await ok<GitCommitDto>('POST', `${git}/commit`, { message: 'Merge feature/one' });
    const shown = await ok<GitCommitDetailDto>('GET', `${git}/commits/${commit.hash}`);
    expect(shown.parents).toHaveLength(2);
    expect((await status()).conflicts).toEqual([]);
    await ok('DELETE', `${git}/branches?name=feature/one`);
  });

  it('runs no hook of the repository, and diffs a symlink as its target name', async () => {
    const inContainer = (script: string) => run(fx.t.server.runtime, fx.project.id, ['sh', '-c', script]);
    const hooks = ['pre-commit', 'commit-msg', 'post-commit', 'post-checkout', 'post-merge'];
    const made = await inContainer(
      hooks
        .map(
          (hook) =>
            `printf '#!/bin/sh\\ntouch /workspace/hook-ran-${hook}\\n' > .git/hooks/${hook}; chmod +x .git/hooks/${hook}`,
        )
        .join('; ') + '; ln -s /etc/hostname link-out',
    );
    expect(made.code).toBe(0);
    await ok('POST', `${git}/stage`, { paths: ['link-out'] });
    await ok('POST', `${git}/commit`, { message: 'A link' });
    await ok('POST', `${git}/branches`, { name: 'hooked' });
    await ok('POST', `${git}/checkout`, { branch: 'hooked' });
    await ok('POST', `${git}/checkout`, { branch: 'main' });
    await ok('DELETE', `${git}/branches?name=hooked`);
    const ran = await inContainer('ls /workspace | grep -c hook-ran || true');
    expect(ran.output.trim()).toBe('0');
    // The hooks are real: plain git in the same container runs them.
    const probe = await inContainer(
      'git -c user.name=p -c user.email=p@example.test commit -q --allow-empty -m probe && ls hook-ran-*; rm -f hook-ran-*',
    );
    expect(probe.output).toContain('hook-ran-pre-commit');

    const diff = await ok<GitDiffDto>('GET', `${git}/diff?path=link-out&staged=false`);
    expect(diff).toMatchObject({ original: '/etc/hostname', modified: '/etc/hostname' });
  });

  it('flags binary and too large files instead of sending their text', async () => {
    await write('big.txt', 'x'.repeat(1024 * 1024 + 10));
    await write('blob.bin', 'text\0with a NUL');
    const big = await ok<GitDiffDto>('GET', `${git}/diff?path=big.txt`);
    expect(big).toMatchObject({ tooLarge: true, binary: false, original: '', modified: '' });
    const binary = await ok<GitDiffDto>('GET', `${git}/diff?path=blob.bin`);
    expect(binary).toMatchObject({ tooLarge: false, binary: true, original: '', modified: '' });
    await ok('POST', `${git}/discard`, { paths: ['big.txt', 'blob.bin'] });
    expect((await status()).untracked).toEqual([]);
  });

  it('answers git refusals with 409 and git’s words', async () => {
    const nothing = await api<{ error: string; message: string }>('POST', `${git}/commit`, { message: 'empty' });
    expect(nothing.status).toBe(409);
    expect(nothing.json.message).toMatch(/nothing to commit/);
    const noBranch = await api<{ message: string }>('POST', `${git}/checkout`, { branch: 'no-such-branch' });
    expect(noBranch.status).toBe(409);
    expect(noBranch.json.message).toMatch(/no-such-branch/);
  });

  it('diffs a staged rename against HEAD at the original path', async () => {
    await write('before-rename.txt', 'alpha\nbeta\ngamma\ndelta\n');
    await ok('POST', `${git}/stage`, { paths: ['before-rename.txt'] });
    await ok('POST', `${git}/commit`, { message: 'A file to rename' });
    const moved = await run(fx.t.server.runtime, fx.project.id, ['sh', '-c', 'mv before-rename.txt after-rename.txt']);
    expect(moved.code).toBe(0);
    await write('after-rename.txt', 'alpha\nbeta\ngamma\ndelta, renamed\n');
    const now = await ok<GitStatusDto>('POST', `${git}/stage`, { paths: ['before-rename.txt', 'after-rename.txt'] });
    expect(now.staged).toEqual([{ path: 'after-rename.txt', origPath: 'before-rename.txt', kind: 'renamed' }]);
    const diff = await ok<GitDiffDto>('GET', `${git}/diff?path=after-rename.txt&staged=true`);
    expect(diff).toMatchObject({
      origPath: 'before-rename.txt',
      original: 'alpha\nbeta\ngamma\ndelta\n',
      modified: 'alpha\nbeta\ngamma\ndelta, renamed\n',
    });
    await ok('POST', `${git}/commit`, { message: 'Renamed' });
  });

  it('stages from ten tabs at once (one git change at a time per project), statuses read meanwhile', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `concurrent-${i}.txt`);
    // A few MB each, so that each `git add` holds index.lock long enough for the others to run into it.
    const made = await run(fx.t.server.runtime, fx.project.id, [
      'sh',
      '-c',
      'for i in 0 1 2 3 4 5 6 7 8 9; do head -c 3000000 /dev/urandom | base64 > concurrent-$i.txt || exit 1; done',
    ]);
    expect(made.code).toBe(0);
    const [stages, reads] = await Promise.all([
      Promise.all(names.map((name) => api<GitStatusDto>('POST', `${git}/stage`, { paths: [name] }))),
      Promise.all(names.map(() => api<GitStatusDto>('GET', `${git}/status`))),
    ]);
    expect(stages.map((answer) => [answer.status, JSON.stringify(answer.json).slice(0, 300)])).toEqual(
      names.map(() => [200, expect.any(String)]),
    );
    expect(reads.map((answer) => answer.status)).toEqual(names.map(() => 200));
    expect(paths((await status()).staged)).toEqual([...names].sort());
  });

  it('answers an index.lock left behind by a killed git with a 409 that says to delete it', async () => {
    const inContainer = (script: string) => run(fx.t.server.runtime, fx.project.id, ['sh', '-c', script]);
    expect((await inContainer('touch .git/index.lock')).code).toBe(0);
    const locked = await api<{ error: string; message: string; hint: string; lockFile: string }>(
      'POST',
      `${git}/unstage`,
      { paths: ['concurrent-0.txt'] },
    );
    expect(locked.status).toBe(409);
    expect(locked.json).toMatchObject({ error: 'git_locked', lockFile: '.git/index.lock' });
    expect(locked.json.message).toMatch(/index\.lock': File exists/);
    expect(locked.json.hint).toMatch(/No git command is running.*rm \.git\/index\.lock/);
    expect((await inContainer('rm .git/index.lock')).code).toBe(0);
    const names = Array.from({ length: 10 }, (_, i) => `concurrent-${i}.txt`);
    await ok('POST', `${git}/unstage`, { paths: names });
    const now = await ok<GitStatusDto>('POST', `${git}/discard`, { paths: names });
    expect([...now.staged, ...now.changes, ...now.untracked]).toEqual([]);
  });

  it('refuses bad input with 400 and field errors', async () => {
    for (const [method, route, body] of [
      ['POST', `${git}/stage`, { paths: ['../outside'] }],
      ['POST', `${git}/stage`, { paths: ['/etc/passwd'] }],
      ['POST', `${git}/stage`, { paths: [] }],
      ['POST', `${git}/discard`, { paths: ['.git'] }],
      ['POST', `${git}/stage`, { paths: ['sub/.git/config'] }],
      ['POST', `${git}/commit`, { message: '   ' }],
      ['POST', `${git}/checkout`, { branch: '--orphan' }],
      ['POST', `${git}/branches`, { name: 'a b' }],
      ['POST', `${git}/branches`, { name: 'ok', from: '--all' }],
      ['POST', `${git}/merge`, { branch: '-Xours' }],
      ['GET', `${git}/diff?path=..%2Fx`, undefined],
      ['GET', `${git}/base?path=.git%2Fconfig`, undefined],
      ['GET', `${git}/base`, undefined],
      ['GET', `${git}/log?limit=0`, undefined],
      ['GET', `${git}/commits/not-a-hash`, undefined],
      ['DELETE', `${git}/branches?name=-D`, undefined],
    ] as const) {
      const answer = await api<{ error: string }>(method, route, body);
      expect(answer.status, `${method} ${route} ${JSON.stringify(body)}`).toBe(400);
      expect(answer.json.error).toBe('validation');
    }
    // Passes the schema, refused by git's own check-ref-format.
    const badRef = await api<{ error: string }>('POST', `${git}/branches`, { name: 'a..b' });
    expect(badRef.status).toBe(400);
  });

  it('is 404 for another user and 401 for nobody', async () => {
    const bob = await createSignedInUser(fx.t.baseUrl);
    for (const [method, route, body] of [
      ['GET', `${git}/status`, undefined],
      ['POST', `${git}/stage`, { paths: ['-rf'] }],
      ['POST', `${git}/commit`, { message: 'x' }],
      ['GET', `${git}/branches`, undefined],
      ['GET', `${git}/base?path=-rf`, undefined],
    ] as const) {
      expect((await api(method, route, body, bob)).status).toBe(404);
    }
    const anonymous = await call(fx.t.baseUrl, 'GET', `${git}/status`);
    expect(anonymous.status).toBe(401);
  });
});
