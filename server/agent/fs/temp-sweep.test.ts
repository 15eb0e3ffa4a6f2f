// The start-up sweep of temp files left by interrupted writes: stale ones go everywhere but in
// heavy folders; fresh ones (a write in flight), look-alike folders and user files stay.
import {
  existsSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PathGuard } from './path-guard';
import { sweepStaleTempFiles } from './temp-sweep';

let root: string;
const hourAgo = new Date(Date.now() - 3600_000);
const file = (relative: string, stale = true) => {
  const absolute = path.join(root, relative);
  mkdirSync(path.dirname(absolute), { recursive: true });
  writeFileSync(absolute, 'x');
  if (stale) utimesSync(absolute, hourAgo, hourAgo);
  return absolute;
};

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'berth-sweep-')));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

it('removes stale temp files (and temp symlinks) outside heavy folders, and nothing else', async () => {
  const stale = [file('.berth-tmp-aaaa'), file('src/deep/er/.berth-tmp-bbbb')];
  symlinkSync('target', path.join(root, 'src', '.berth-tmp-link'));
  lutimesSync(path.join(root, 'src', '.berth-tmp-link'), hourAgo, hourAgo);
  stale.push(path.join(root, 'src', '.berth-tmp-link'));
  const kept = [
    file('node_modules/pkg/.berth-tmp-cccc'), // heavy: not walked
    file('.git/.berth-tmp-dddd'),
    file('src/.berth-tmp-fresh', false), // a write in flight
    file('src/berth-tmp-not-ours'),
    file('src/.berth-tmp-folder/inner.txt'), // a folder of that name is not ours
  ];
  symlinkSync('/tmp', path.join(root, 'tmp-link')); // never followed
  const result = await sweepStaleTempFiles(new PathGuard(root), { olderThanMs: Date.now() - 1000 });
  expect(result).toMatchObject({ removed: 3, complete: true });
  for (const gone of stale) expect(lstatSync(gone, { throwIfNoEntry: false }), gone).toBeUndefined();
  for (const stays of kept) expect(existsSync(stays), stays).toBe(true);
});

it('stops at its bounds and says so', async () => {
  for (let index = 0; index < 5; index++) file(`f${index}/.berth-tmp-${index}`);
  const result = await sweepStaleTempFiles(new PathGuard(root), { olderThanMs: Date.now(), maxFolders: 3 });
  expect(result).toMatchObject({ folders: 3, complete: false, removed: 2 });
  const deep = await sweepStaleTempFiles(new PathGuard(root), { olderThanMs: Date.now(), maxDepth: 0 });
  expect(deep).toMatchObject({ folders: 1, complete: false });
});
