import { describe, expect, it } from 'vitest';
import { checkGitUrl, isInternalAddress } from './git-url-policy';

const resolveTo =
  (...addresses: string[]) =>
  async () =>
    addresses;

describe('checkGitUrl', () => {
  it('accepts https to a public host and pins the address', async () => {
    await expect(
      checkGitUrl('https://github.com/owner/repo.git', [], resolveTo('140.82.121.3')),
    ).resolves.toMatchObject({ host: 'github.com', port: 443, address: '140.82.121.3' });
  });

  it('refuses other protocols', async () => {
    for (const url of [
      'http://github.com/a/b',
      'file:///etc',
      'ssh://git@github.com/a/b',
      'ext::sh -c id',
      'git://github.com/a/b',
    ]) {
      await expect(checkGitUrl(url, [], resolveTo('140.82.121.3'))).rejects.toMatchObject({
        kind: 'bad_request',
        code: 'bad_git_url',
      });
    }
  });

  it('refuses hosts that resolve to internal addresses, even one of several', async () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '192.168.1.1',
      '172.20.0.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '100.64.0.1',
    ]) {
      await expect(
        checkGitUrl('https://sneaky.example/repo.git', [], resolveTo('140.82.121.3', address)),
      ).rejects.toThrow(/internal address/);
    }
    await expect(checkGitUrl('https://127.0.0.1/repo.git', [])).rejects.toThrow(/internal address/);
  });

  it('allows a listed private host, plain http included', async () => {
    await expect(checkGitUrl('http://10.0.0.5:8080/repo.git', ['10.0.0.5'])).resolves.toMatchObject({
      port: 8080,
      address: '10.0.0.5',
    });
    await expect(checkGitUrl('https://git.lab/repo.git', ['git.lab'], resolveTo('192.168.1.9'))).resolves.toMatchObject(
      { address: '192.168.1.9' },
    );
  });

  it('says when a host does not resolve', async () => {
    await expect(
      checkGitUrl('https://nowhere.invalid/x.git', [], async () => {
        throw new Error('ENOTFOUND');
      }),
    ).rejects.toThrow(/does not resolve/);
  });
});

describe('isInternalAddress', () => {
  it('knows public from internal', () => {
    expect(isInternalAddress('8.8.8.8')).toBe(false);
    expect(isInternalAddress('2606:4700::1111')).toBe(false);
    expect(isInternalAddress('0.0.0.0')).toBe(true);
    expect(isInternalAddress('fe80::1')).toBe(true);
  });
});
