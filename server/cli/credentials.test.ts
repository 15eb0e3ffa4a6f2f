import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { credentialsFile, normalizeBerthUrl, readCredentials, saveToken, tokenFor } from './credentials';

let home: string | undefined;
afterEach(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

describe('credentials', () => {
  it('keys tokens by normalized URL', () => {
    expect(normalizeBerthUrl('https://berth.example.com/')).toBe('https://berth.example.com');
    expect(normalizeBerthUrl('berth.example.com')).toBe('https://berth.example.com');
    expect(normalizeBerthUrl('http://localhost:3000')).toBe('http://localhost:3000');
    expect(normalizeBerthUrl('https://x.example/berth//')).toBe('https://x.example/berth');
    expect(() => normalizeBerthUrl('ftp://x')).toThrow();
  });

  it('stores tokens 0600 under XDG_CONFIG_HOME, else ~/.config', async () => {
    home = await mkdtemp(path.join(tmpdir(), 'berth-cred-'));
    const xdg = { HOME: home, XDG_CONFIG_HOME: path.join(home, 'xdg') };
    expect(credentialsFile(xdg)).toBe(path.join(home, 'xdg', 'berth', 'credentials.json'));
    expect(credentialsFile({ HOME: home })).toBe(path.join(home, '.config', 'berth', 'credentials.json'));
    await saveToken('http://localhost:3000', 'berth_pat_a', 'a@example.test', xdg);
    expect((await stat(credentialsFile(xdg))).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(credentialsFile(xdg)))).mode & 0o777).toBe(0o700);
    expect(await tokenFor('http://localhost:3000', xdg)).toBe('berth_pat_a');
    expect((await readCredentials(xdg)).current).toBe('http://localhost:3000');
    await expect(tokenFor('http://other:1', xdg)).rejects.toThrow(/berth login http:\/\/other:1/);
  });
});
