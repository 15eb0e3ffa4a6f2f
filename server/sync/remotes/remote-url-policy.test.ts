import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors';
import { checkRemoteUrl, normalizeRemoteUrl, type RemoteUrlPolicy } from './remote-url-policy';

const policy: RemoteUrlPolicy = { allowPrivateHosts: ['berth.lan'], selfOrigins: ['http://localhost:3000'] };
const resolveTo =
  (...addresses: string[]) =>
  async () =>
    addresses;

async function refusal(raw: string, resolve = resolveTo('93.184.216.34')): Promise<string> {
  const error = await checkRemoteUrl(raw, policy, resolve).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe('bad_remote_url');
  return (error as DomainError).message;
}

describe('remote Berth URLs', () => {
  it('stores the origin and path without trailing slashes', () => {
    expect(normalizeRemoteUrl('https://team.example.com/')).toBe('https://team.example.com');
    expect(normalizeRemoteUrl(' https://example.com/berth// ')).toBe('https://example.com/berth');
  });

  it('takes https URLs of public hosts', async () => {
    expect(await checkRemoteUrl('https://team.example.com/', policy, resolveTo('93.184.216.34'))).toBe(
      'https://team.example.com',
    );
  });

  it('refuses plain http, credentials, queries and other protocols', async () => {
    expect(await refusal('http://team.example.com')).toMatch(/https/);
    expect(await refusal('https://me:secret@team.example.com')).toMatch(/token field/);
    expect(await refusal('https://team.example.com/?a=1')).toMatch(/query/);
    expect(await refusal('ftp://team.example.com')).toMatch(/http/);
    expect(await refusal('not a url')).toMatch(/Not a URL/);
  });

  it('refuses hosts that are or resolve to internal addresses, in every spelling', async () => {
    expect(await refusal('https://127.0.0.1:4000')).toMatch(/127\.0\.0\.1: loopback.*SYNC_ALLOW_PRIVATE_HOSTS/);
    expect(await refusal('https://[::ffff:7f00:1]')).toMatch(/stands for 127\.0\.0\.1/);
    expect(await refusal('https://169.254.169.254')).toMatch(/linkLocal/);
    // One internal answer among public ones is enough to refuse.
    expect(await refusal('https://sneaky.example.com', resolveTo('93.184.216.34', '10.0.0.5'))).toMatch(/10\.0\.0\.5/);
    expect(await refusal('https://nowhere.example.com', () => Promise.reject(new Error('ENOTFOUND')))).toMatch(
      /does not resolve/,
    );
  });

  it('allows listed hosts (plain http too) and this Berth itself', async () => {
    expect(await checkRemoteUrl('http://berth.lan:3000', policy, resolveTo('10.0.0.5'))).toBe('http://berth.lan:3000');
    expect(await checkRemoteUrl('http://localhost:3000/', policy, resolveTo('127.0.0.1'))).toBe(
      'http://localhost:3000',
    );
    // Another port on loopback is not this Berth.
    expect(await refusal('http://localhost:3001', resolveTo('127.0.0.1'))).toMatch(/https/);
  });
});
