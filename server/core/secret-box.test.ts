// Provider keys at rest: they come back only under the same AUTH_SECRET, unchanged, and two seals
// of one key never look alike.
import { describe, expect, it } from 'vitest';
import { PROVIDER_KEYS_PURPOSE, SecretBox } from './secret-box';

const secret = 'a'.repeat(40);
const key = 'sk-proj-0123456789abcdefghijklmnopqrstuvwxyz';

describe('SecretBox', () => {
  it('opens what it sealed, and the sealed text does not contain the key', () => {
    const box = new SecretBox(secret);
    const sealed = box.seal(key);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain(key);
    expect(sealed).not.toContain('abcdefghij');
    expect(box.open(sealed)).toBe(key);
    expect(new SecretBox(secret).open(sealed)).toBe(key);
  });

  it('keeps non-ASCII and empty values', () => {
    const box = new SecretBox(secret);
    expect(box.open(box.seal('ключ-🔑'))).toBe('ключ-🔑');
    expect(box.open(box.seal(''))).toBe('');
  });

  it('refuses to open under another AUTH_SECRET', () => {
    const sealed = new SecretBox(secret).seal(key);
    expect(() => new SecretBox('b'.repeat(40)).open(sealed)).toThrow(/does not open with this AUTH_SECRET/);
  });

  it('refuses a value changed at rest (ciphertext, tag or IV)', () => {
    const box = new SecretBox(secret);
    const [version, iv, tag, data] = box.seal(key).split('.') as [string, string, string, string];
    const flip = (part: string) => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      return bytes.toString('base64url');
    };
    expect(() => box.open([version, iv, tag, flip(data)].join('.'))).toThrow(/does not open/);
    expect(() => box.open([version, iv, flip(tag), data].join('.'))).toThrow(/does not open/);
    expect(() => box.open([version, flip(iv), tag, data].join('.'))).toThrow(/does not open/);
    expect(() => box.open([version, iv, tag].join('.'))).toThrow(/Not a sealed value/);
    expect(() => box.open(key)).toThrow(/Not a sealed value/);
  });

  it('uses a fresh IV for every seal of the same value', () => {
    const box = new SecretBox(secret);
    const seals = Array.from({ length: 20 }, () => box.seal(key));
    expect(new Set(seals.map((sealed) => sealed.split('.')[1])).size).toBe(20);
    expect(new Set(seals).size).toBe(20);
  });

  it('keeps purposes apart: a value sealed for one purpose does not open in another', () => {
    const gitBox = new SecretBox(secret, 'berth/git/credentials/v1');
    expect(gitBox.open(gitBox.seal(key))).toBe(key);
    expect(() => new SecretBox(secret).open(gitBox.seal(key))).toThrow(/does not open/);
    expect(() => gitBox.open(new SecretBox(secret, PROVIDER_KEYS_PURPOSE).seal(key))).toThrow(/does not open/);
  });
});
