// writeZip → readZip gives back the same bytes, modes and links; `unzip`
// (when installed) reads our exports too.
import { execFileSync } from 'node:child_process';
import { createWriteStream, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { readZip, writeZip, ZipImportError, type ZipSourceEntry } from './index';

const dir = mkdtempSync(path.join(tmpdir(), 'berth-zip-roundtrip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const binary = randomBytes(3 * 1024 * 1024 + 17);
const project: Array<{ path: string; type: 'file' | 'symlink'; mode: number; content: Buffer; asStream?: boolean }> = [
  { path: 'README.md', type: 'file', mode: 0o644, content: Buffer.from('# hello\n') },
  { path: 'assets/blob.bin', type: 'file', mode: 0o644, content: binary, asStream: true },
  { path: 'empty.txt', type: 'file', mode: 0o644, content: Buffer.alloc(0) },
  { path: 'bin/run.sh', type: 'file', mode: 0o755, content: Buffer.from('#!/bin/sh\necho hi\n'), asStream: true },
  { path: 'src/ünïcode name.ts', type: 'file', mode: 0o600, content: Buffer.from('export {}\n') },
  { path: 'run', type: 'symlink', mode: 0o777, content: Buffer.from('bin/run.sh') },
];

async function* source(prefix = ''): AsyncIterable<ZipSourceEntry> {
  for (const item of project) {
    yield {
      path: prefix + item.path,
      type: item.type,
      mode: item.mode,
      mtime: new Date('2024-05-06T07:08:10Z'),
      open: async () =>
        item.asStream ? Readable.from([item.content.subarray(0, 1000), item.content.subarray(1000)]) : item.content,
    };
  }
}

async function exportTo(name: string, prefix = ''): Promise<string> {
  const file = path.join(dir, name);
  const result = await writeZip(source(prefix), createWriteStream(file));
  expect(result.entries).toBe(project.length);
  expect(result.bytes).toBe(statSync(file).size);
  return file;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('writeZip → readZip', () => {
  it('round-trips bytes, exec bits and symlinks', async () => {
    const file = await exportTo('project.zip');
    const result = await readZip(file, {}, { allowSymlinks: true });
    try {
      expect(result.root).toBeNull();
      expect(result.symlinks).toEqual([{ path: 'run', target: 'bin/run.sh' }]);
      const files = project.filter((p) => p.type === 'file');
      expect(result.files.map((f) => f.path)).toEqual(files.map((f) => f.path));
      for (const [i, entry] of result.files.entries()) {
        const expected = files[i]!;
        expect(entry.mode).toBe(expected.mode & 0o111 ? 0o755 : 0o644);
        expect(entry.size).toBe(expected.content.length);
        expect((await readAll(await entry.open())).equals(expected.content), entry.path).toBe(true);
      }
      expect(result.totalBytes).toBe(files.reduce((sum, f) => sum + f.content.length, 0));
    } finally {
      result.close();
    }
  });

  it('refuses the exported symlink unless allowSymlinks', async () => {
    const error = await readZip(await exportTo('links.zip')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZipImportError);
    expect((error as ZipImportError).code).toBe('symlink');
  });

  it('detects and strips a common top-level folder, or keeps it', async () => {
    const file = await exportTo('github.zip', 'repo-main/');
    const stripped = await readZip(file, {}, { allowSymlinks: true });
    stripped.close();
    expect(stripped.root).toBe('repo-main');
    expect(stripped.files.map((f) => f.path)).toContain('bin/run.sh');
    expect(stripped.symlinks).toEqual([{ path: 'run', target: 'bin/run.sh' }]);
    const kept = await readZip(file, {}, { allowSymlinks: true, stripCommonRoot: false });
    kept.close();
    expect(kept.root).toBeNull();
    expect(kept.files.map((f) => f.path)).toContain('repo-main/bin/run.sh');
  });
});

describe('writeZip streaming', () => {
  it('opens entries lazily, only a few ahead of the writer', async () => {
    let pulled = 0;
    let maxAhead = 0;
    async function* many(): AsyncIterable<ZipSourceEntry> {
      for (let i = 0; i < 200; i++) {
        pulled += 1;
        yield {
          path: `f${i}.txt`,
          type: 'file',
          mode: 0o644,
          open: async () => {
            maxAhead = Math.max(maxAhead, pulled - i);
            return Buffer.from(`file ${i}\n`);
          },
        };
      }
    }
    const slow = new Writable({ highWaterMark: 1024, write: (_chunk, _enc, done) => setImmediate(done) });
    const result = await writeZip(many(), slow);
    expect(result.entries).toBe(200);
    expect(maxAhead).toBeLessThanOrEqual(17);
  });

  it('rejects when the destination fails (client went away)', async () => {
    const broken = new Writable({ write: (_chunk, _enc, done) => done(new Error('socket closed')) });
    await expect(writeZip(source(), broken)).rejects.toThrow('socket closed');
  });

  it('closes the open source when the destination fails mid-file', async () => {
    const endless = new Readable({
      read() {
        this.push(randomBytes(64 * 1024));
      },
    });
    async function* one(): AsyncIterable<ZipSourceEntry> {
      yield { path: 'endless.bin', type: 'file', mode: 0o644, open: async () => endless };
    }
    let written = 0;
    const dies = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        written += chunk.length;
        done(written > 1024 * 1024 ? new Error('gone') : null);
      },
    });
    await expect(writeZip(one(), dies)).rejects.toThrow('gone');
    expect(endless.destroyed).toBe(true);
  });

  it('rejects paths a ZIP must not hold', async () => {
    async function* bad(): AsyncIterable<ZipSourceEntry> {
      yield { path: '../escape', type: 'file', mode: 0o644, open: async () => Buffer.from('x') };
    }
    const sink = new Writable({ write: (_chunk, _enc, done) => done() });
    await expect(writeZip(bad(), sink)).rejects.toThrow(/relative path/);
  });
});

// npm test installs unzip (scripts/test.mjs); without it this fails rather than proving nothing.
describe('interoperability with Info-ZIP unzip', () => {
  it('lists, tests and extracts an export with exec bits and symlinks', async () => {
    const file = await exportTo('unzip.zip');
    expect(execFileSync('unzip', ['-t', file], { encoding: 'utf8' })).toContain('No errors detected');
    const listing = execFileSync('unzip', ['-l', file], { encoding: 'utf8' });
    for (const item of project) expect(listing).toContain(item.path);
    const out = path.join(dir, 'extracted');
    execFileSync('unzip', ['-q', file, '-d', out]);
    expect(statSync(path.join(out, 'bin/run.sh')).mode & 0o777).toBe(0o755);
    expect(lstatSync(path.join(out, 'run')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(out, 'run'))).toBe('bin/run.sh');
    expect(readFileSync(path.join(out, 'assets/blob.bin')).equals(binary)).toBe(true);
  });
});
