// Hostile uploads: each must be refused with the right ZipImportError code.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readZip, ZipImportError, type ZipImportErrorCode, type ZipLimits, type ZipReadOptions } from './index';
import { rawZip, S_IFLNK, type RawEntry } from './test-raw-zip';

const dir = mkdtempSync(path.join(tmpdir(), 'berth-zip-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

function save(bytes: Buffer): string {
  const file = path.join(dir, `${++counter}.zip`);
  writeFileSync(file, bytes);
  return file;
}

async function refusal(promise: Promise<unknown>): Promise<ZipImportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZipImportError);
  return error as ZipImportError;
}

async function expectRefused(
  entries: RawEntry[],
  code: ZipImportErrorCode,
  limits: Partial<ZipLimits> = {},
  options: ZipReadOptions = {},
) {
  const error = await refusal(readZip(save(rawZip(entries)), limits, options));
  expect(error.code, error.message).toBe(code);
  return error;
}

/** Reads every file's content; content errors surface here. */
async function drain(file: string, limits: Partial<ZipLimits> = {}): Promise<void> {
  const result = await readZip(file, limits);
  try {
    for (const entry of result.files) for await (const _ of await entry.open());
  } finally {
    result.close();
  }
}

const text = (name: string, body = 'x'): RawEntry => ({ name, data: Buffer.from(body) });

describe('readZip refuses hostile names', () => {
  it.each(
    [
      '../../x',
      '/etc/passwd',
      'C:\\x',
      'C:/x',
      '\\\\server\\share\\x',
      'a/../../b',
      'a\\..\\b',
      'a//b',
      './a',
      'a/./b',
      'a/b\u007f',
      'a\u0000b',
      'a\nb',
      `${'d/'.repeat(512)}x`,
      `${'x'.repeat(256)}/y`,
    ].map((name) => [name.length > 40 ? `${name.slice(0, 20)}… (${name.length} chars)` : JSON.stringify(name), name]),
  )('%s → bad_path', async (_label, name) => {
    const error = await expectRefused([text('ok.txt'), text(name!)], 'bad_path');
    expect(error.message).toContain('unsafe name');
  });

  it('names the offending entry in the message', async () => {
    const error = await expectRefused([text('../../x')], 'bad_path');
    expect(error.message).toContain('"../../x"');
    expect(error.entry).toBe('../../x');
    expect(error.kind).toBe('bad_request');
  });

  it('refuses duplicates, and files below files', async () => {
    await expectRefused([text('a.txt'), text('b'), text('a.txt')], 'duplicate');
    await expectRefused([text('a'), text('a/b')], 'duplicate');
    await expectRefused([text('a/b'), text('a/b/')], 'duplicate'); // file and folder at one path
  });
});

describe('readZip refuses links, encryption and odd entries', () => {
  const link = (name: string, target: string): RawEntry => ({
    name,
    data: Buffer.from(target),
    method: 0,
    unixMode: S_IFLNK | 0o777,
  });

  it('refuses a symlink entry by default', async () => {
    const error = await expectRefused([text('a'), link('l', 'a')], 'symlink');
    expect(error.message).toContain('"l"');
  });

  it('with allowSymlinks, accepts links inside and refuses links that escape', async () => {
    const file = save(rawZip([text('a/b'), link('l', 'a/b'), link('a/up', '../a')]));
    const result = await readZip(file, {}, { allowSymlinks: true });
    result.close();
    expect(result.symlinks).toEqual([
      { path: 'l', target: 'a/b' },
      { path: 'a/up', target: '../a' },
    ]);

    const allow = { allowSymlinks: true };
    await expectRefused([link('l', '../x')], 'symlink', {}, allow);
    await expectRefused([link('l', '/etc/passwd')], 'symlink', {}, allow);
    await expectRefused([link('d', '.'), link('l', 'd/..')], 'symlink', {}, allow); // escapes through another link
    await expectRefused([link('a', 'b'), link('b', 'a'), link('l', 'a/x')], 'symlink', {}, allow); // loop
    await expectRefused([link('d', 'x'), text('d/evil')], 'symlink', {}, allow); // written through the link
  });

  it('refuses encrypted entries', async () => {
    await expectRefused([{ ...text('a'), flags: 0x1 }], 'encrypted');
  });

  it('refuses unknown compression methods and special files', async () => {
    await expectRefused([{ ...text('a'), method: 12, compressed: Buffer.from('BZh') }], 'unsupported');
    await expectRefused([{ ...text('fifo'), unixMode: 0o010644 }], 'unsupported');
  });
});

describe('readZip refuses archives too big, and zip bombs', () => {
  it('refuses too many entries before reading them', async () => {
    const error = await expectRefused([text('a'), text('b'), text('c'), text('d')], 'too_many_entries', {
      maxEntries: 3,
    });
    expect(error.kind).toBe('too_large');
  });

  it('refuses an honest archive over maxTotalBytes, and an entry over maxEntryBytes', async () => {
    const six = Buffer.alloc(6 * 1024 * 1024);
    await expectRefused(
      [
        { name: 'a', data: six },
        { name: 'b', data: six },
      ],
      'too_large',
      { maxTotalBytes: 10 * 1024 * 1024 },
    );
    await expectRefused([{ name: 'a', data: six }], 'too_large', { maxEntryBytes: 5 * 1024 * 1024 });
  });

  it('aborts an entry that inflates beyond its declared size (200 MB of zeros declared as 1 KB)', async () => {
    const bomb = deflateRawSync(Buffer.alloc(200 * 1024 * 1024));
    const file = save(rawZip([{ name: 'bomb.bin', data: Buffer.alloc(1024), compressed: bomb, declaredSize: 1024 }]));
    const started = Date.now();
    const error = await refusal(drain(file));
    expect(error.code).toBe('too_large');
    expect(error.message).toContain('bomb.bin');
    expect(Date.now() - started).toBeLessThan(2_000); // stopped early, not after inflating 200 MB
  }, 30_000);

  it('counts real bytes against maxTotalBytes across opens', async () => {
    const file = save(rawZip([{ name: 'a', data: Buffer.alloc(1000, 7) }]));
    const result = await readZip(file, { maxTotalBytes: 1500 });
    try {
      for await (const _ of await result.files[0]!.open());
      const error = await refusal(
        (async () => {
          for await (const _ of await result.files[0]!.open());
        })(),
      );
      expect(error.code).toBe('too_large');
    } finally {
      result.close();
    }
  });
});

describe('readZip refuses damaged files', () => {
  it('refuses a truncated archive and a non-ZIP', async () => {
    const whole = rawZip([text('a', 'hello'), text('b', 'world')]);
    expect((await refusal(readZip(save(whole.subarray(0, whole.length - 30))))).code).toBe('corrupt');
    expect((await refusal(readZip(save(Buffer.from('not a zip at all'))))).code).toBe('corrupt');
  });

  it('leaves a missing temp file as a plain server error', async () => {
    const error = await readZip(path.join(dir, 'missing.zip')).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ZipImportError);
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('refuses content that fails to inflate or fails its CRC', async () => {
    const garbage = rawZip([{ name: 'a', data: Buffer.alloc(100), compressed: Buffer.from([0xff, 0xff, 0xff, 0xff]) }]);
    expect((await refusal(drain(save(garbage)))).code).toBe('corrupt');
    const wrongCrc = rawZip([
      { name: 'a', data: Buffer.from('hello'), compressed: deflateRawSync(Buffer.from('jello')) },
    ]);
    expect((await refusal(drain(save(wrongCrc)))).code).toBe('corrupt');
  });
});
