// The path guard on a temp folder: syntax refusals, symlink escapes (on the way and final),
// and in-root symlinks that stay allowed.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PATH_LENGTH } from '../../contracts/files';
import { PathGuard } from './path-guard';

let base: string;
let root: string;
let guard: PathGuard;

beforeAll(() => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), 'berth-guard-')));
  root = path.join(base, 'root');
  mkdirSync(path.join(root, 'src', 'deep'), { recursive: true });
  writeFileSync(path.join(root, 'src', 'a.txt'), 'a');
  mkdirSync(path.join(base, 'outside'));
  writeFileSync(path.join(base, 'outside', 'secret'), 's');
  // Escapes
  symlinkSync('/etc', path.join(root, 'etc-dir'));
  symlinkSync('/etc/passwd', path.join(root, 'passwd-link'));
  symlinkSync('../outside', path.join(root, 'sibling'));
  symlinkSync('passwd-link', path.join(root, 'chain-1'));
  symlinkSync('chain-1', path.join(root, 'chain-2'));
  symlinkSync('/nonexistent-berth/x', path.join(root, 'dangling-out'));
  symlinkSync(path.join(base, 'outside', 'new-file'), path.join(root, 'dangling-out-near'));
  symlinkSync('src/deep/../../../outside', path.join(root, 'dotdot-link'));
  symlinkSync('loop-b', path.join(root, 'loop-a'));
  symlinkSync('loop-a', path.join(root, 'loop-b'));
  // Allowed: in-root targets
  symlinkSync('src', path.join(root, 'src-link'));
  symlinkSync('src/a.txt', path.join(root, 'a-link'));
  symlinkSync('a-link', path.join(root, 'a-link-2'));
  symlinkSync('src/new.txt', path.join(root, 'dangling-in'));
  symlinkSync('.', path.join(root, 'self'));
  guard = new PathGuard(root);
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const refused = async (value: unknown, follow = true) => {
  await expect(guard.resolve(value, { follow })).rejects.toMatchObject({ code: 'bad_path' });
};

describe('PathGuard syntax', () => {
  it('refuses absolute paths, .. segments, NUL bytes, non-strings and over-long paths', async () => {
    await refused('/etc/passwd');
    await refused('../x');
    await refused('a/../../x');
    await refused('a/../b'); // even when it would normalise back inside
    await refused('src/..');
    await refused('a\0b');
    await refused(42);
    await refused(undefined);
    await refused('a/'.repeat(MAX_PATH_LENGTH));
  });

  it('normalises empty and "." segments; "" is the root unless refused', async () => {
    expect(await guard.resolve('./src//a.txt')).toEqual({
      relative: 'src/a.txt',
      absolute: path.join(root, 'src', 'a.txt'),
    });
    expect(await guard.resolve('')).toEqual({ relative: '', absolute: root });
    await expect(guard.resolve('', { allowRoot: false })).rejects.toMatchObject({ code: 'bad_path' });
  });
});

describe('PathGuard symlink escapes', () => {
  it('refuses going through a folder symlink that leaves the root', async () => {
    await refused('etc-dir/passwd');
    await refused('etc-dir/passwd', false);
    await refused('etc-dir/new/deeper', false);
    await refused('sibling/secret', false);
    await refused('dotdot-link/secret', false);
    await refused('etc-dir', true);
  });

  it('refuses following a final symlink out of the root (file, chain, dangling)', async () => {
    await refused('passwd-link');
    await refused('chain-2');
    await refused('dangling-out');
    await refused('dangling-out-near');
    await refused('loop-a');
  });

  it('lets non-following operations see the link itself (delete, move, stat)', async () => {
    expect(await guard.resolve('passwd-link', { follow: false })).toEqual({
      relative: 'passwd-link',
      absolute: path.join(root, 'passwd-link'),
    });
    expect(await guard.resolve('dangling-out', { follow: false })).toMatchObject({ relative: 'dangling-out' });
  });

  it('refuses paths under a dangling symlink', async () => {
    await refused('dangling-out/x', false);
    await refused('dangling-in/x', false);
  });
});

describe('PathGuard in-root symlinks', () => {
  it('allows and resolves symlinks whose targets stay inside', async () => {
    expect((await guard.resolve('src-link/a.txt')).absolute).toBe(path.join(root, 'src', 'a.txt'));
    expect((await guard.resolve('src-link/new/file.txt')).absolute).toBe(path.join(root, 'src', 'new', 'file.txt'));
    expect((await guard.resolve('a-link-2', { follow: true })).absolute).toBe(path.join(root, 'src', 'a.txt'));
    expect((await guard.resolve('dangling-in', { follow: true })).absolute).toBe(path.join(root, 'src', 'new.txt'));
    expect((await guard.resolve('self', { follow: true })).absolute).toBe(root);
    expect((await guard.resolve('self/src/a.txt', { follow: true })).absolute).toBe(path.join(root, 'src', 'a.txt'));
  });

  it('allows paths that do not exist yet, judged by their nearest existing ancestor', async () => {
    expect((await guard.resolve('new/deeper/file.txt')).absolute).toBe(path.join(root, 'new', 'deeper', 'file.txt'));
  });

  it('works when the root itself is reached through a symlink', async () => {
    const viaLink = path.join(base, 'root-link');
    symlinkSync(root, viaLink);
    const linked = new PathGuard(viaLink);
    expect((await linked.resolve('src/a.txt')).absolute).toBe(path.join(root, 'src', 'a.txt'));
    await expect(linked.resolve('etc-dir/passwd')).rejects.toMatchObject({ code: 'bad_path' });
  });
});
