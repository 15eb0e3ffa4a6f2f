import { lstat, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HashCacheFile } from './hash-cache-file';
import { useTempFolders } from './temp-folders.test-support';

const tempFolder = useTempFolders('berth-hash-cache-');
const sha = 'e'.repeat(64);

describe('HashCacheFile', () => {
  it('keeps each hash with the rules its path was listed under, and reads both versions of the file', async () => {
    const root = await tempFolder({ 'a.txt': 'a', 'b.txt': 'b' });
    const file = path.join(root, 'hashes.json');
    const stats = await lstat(path.join(root, 'a.txt'), { bigint: true });
    const first = await HashCacheFile.load(file);
    first.set('a.txt', stats, sha, 'rules-1');
    first.set('b.txt', stats, sha);
    await first.commit();
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 2, rules: ['rules-1'] });

    const second = await HashCacheFile.load(file);
    expect(second.listedUnder('a.txt')).toBe('rules-1');
    expect(second.listedUnder('b.txt')).toBeUndefined();
    expect(second.listedUnder('a.txt', stats)).toBe('rules-1');
    const other = await lstat(path.join(root, 'b.txt'), { bigint: true });
    expect(second.listedUnder('a.txt', other)).toBeUndefined();
    expect(second.get('a.txt', stats, 'rules-2')).toBe(sha);

    // Version 1 (no rules): the hashes still count; the rules are learned on the next scan.
    const entry = [String(stats.size), String(stats.mtimeNs), String(stats.ctimeNs), String(stats.ino), sha];
    await writeFile(file, JSON.stringify({ version: 1, entries: { 'a.txt': entry } }));
    const old = await HashCacheFile.load(file);
    expect(old.listedUnder('a.txt')).toBeUndefined();
    expect(old.get('a.txt', stats, 'rules-1')).toBe(sha);
  });

  it('drops a damaged file whole: a rules index out of range, a bad hash', async () => {
    const root = await tempFolder({ 'a.txt': 'a' });
    const file = path.join(root, 'hashes.json');
    const stats = await lstat(path.join(root, 'a.txt'), { bigint: true });
    const entry = [String(stats.size), String(stats.mtimeNs), String(stats.ctimeNs), String(stats.ino), sha];
    for (const damaged of [
      { version: 2, rules: ['r'], entries: { 'a.txt': [...entry, 1] } },
      { version: 2, rules: ['r'], entries: { 'a.txt': [...entry.slice(0, 4), 'nothex', 0] } },
      { version: 2, rules: [7], entries: { 'a.txt': [...entry, 0] } },
      { version: 3, entries: { 'a.txt': entry } },
    ]) {
      await writeFile(file, JSON.stringify(damaged));
      expect((await HashCacheFile.load(file)).get('a.txt', stats)).toBeUndefined();
    }
  });
});
