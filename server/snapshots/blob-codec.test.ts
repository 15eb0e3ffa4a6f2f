import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBlob, encodeBlob, sha256Hex } from './blob-codec';

describe('blob codec', () => {
  it('gzips text and gives back the same bytes', () => {
    const text = Buffer.from('export const answer = 42;\n'.repeat(200));
    const blob = encodeBlob(text);
    expect(blob.encoding).toBe('gzip');
    expect(blob.storedSize).toBeLessThan(text.length / 4);
    expect(blob.sha256).toBe(sha256Hex(text));
    expect(decodeBlob(blob.encoding, blob.data).equals(text)).toBe(true);
  });

  it('stores incompressible and tiny content as is', () => {
    const noise = randomBytes(4096);
    expect(encodeBlob(noise).encoding).toBe('identity');
    expect(encodeBlob(Buffer.from('hi')).encoding).toBe('identity');
    expect(decodeBlob('identity', encodeBlob(noise).data).equals(noise)).toBe(true);
  });

  it('refuses an unknown encoding', () => {
    expect(() => decodeBlob('zstd', Buffer.from('x'))).toThrow(/unknown blob encoding/);
  });
});
