import { describe, expect, it } from 'vitest';
import { classifyAddress, isInternalAddress } from './address-range';
import { checkGitUrl } from './git-url-policy';

const noDns = async (): Promise<string[]> => {
  throw new Error('an IP literal must not be resolved');
};

// Every spelling of a loopback, private, link-local or otherwise internal address that reaches
// the check, either as a URL host (after WHATWG URL normalisation) or as a DNS answer.
const INTERNAL = [
  '127.0.0.1',
  '127.255.255.254',
  '0.0.0.0',
  '10.1.2.3',
  '172.16.0.1',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '224.0.0.1',
  '255.255.255.255',
  '240.0.0.1',
  '198.18.0.1',
  '192.0.0.1',
  '192.0.2.1',
  '::1',
  '0:0:0:0:0:0:0:1',
  '0000:0000:0000:0000:0000:0000:0000:0001',
  '::',
  '[::1]',
  '[0:0:0:0:0:0:0:1]',
  // IPv4-mapped, every way of writing it
  '::ffff:127.0.0.1',
  '::FFFF:127.0.0.1',
  '::ffff:7f00:1',
  '0:0:0:0:0:ffff:7f00:1',
  '::ffff:a00:1',
  '::ffff:c0a8:101',
  '::ffff:a9fe:a9fe',
  '::ffff:0.0.0.0',
  // IPv4-translated (RFC 6145) and IPv4-compatible
  '::ffff:0:7f00:1',
  '::127.0.0.1',
  '::7f00:1',
  '::a00:1',
  '::0.0.0.2',
  '::c0a8:101',
  // NAT64 of private / loopback / metadata addresses
  '64:ff9b::7f00:1',
  '64:ff9b::127.0.0.1',
  '64:ff9b::a00:1',
  '64:ff9b::10.0.0.1',
  '64:ff9b::a9fe:a9fe',
  '64:ff9b:1::a00:1',
  // link-local, unique-local, site-local, multicast, documentation, 6to4, Teredo, discard
  'fe80::1',
  'fe80::1%eth0',
  'febf::1',
  'fc00::1',
  'fd00::1',
  'fdff:ffff::1',
  'fec0::1',
  'ff02::1',
  '2001:db8::1',
  '2002:7f00:1::1',
  '2001::1',
  '100::1',
  // not an address at all
  'localhost',
  '',
  '1.2.3.4.5',
  'fe80::zz',
];

const PUBLIC = [
  '8.8.8.8',
  '140.82.121.3',
  '1.1.1.1',
  '2606:4700::1111',
  '2a00:1450:4001:82b::200e',
  '::ffff:8.8.8.8',
  '::ffff:808:808',
  '64:ff9b::8c52:7903',
  '64:ff9b::140.82.121.3',
];

describe('classifyAddress', () => {
  it.each(INTERNAL)('%s is internal', (address) => {
    expect(isInternalAddress(address)).toBe(true);
  });

  it.each(PUBLIC)('%s is public unicast', (address) => {
    expect(classifyAddress(address)).toMatchObject({ internal: false, range: 'unicast' });
  });

  it('says which IPv4 address an IPv6 one stands for', () => {
    expect(classifyAddress('::ffff:7f00:1')).toEqual({ internal: true, range: 'loopback', embedded: '127.0.0.1' });
    expect(classifyAddress('::7f00:1')).toEqual({ internal: true, range: 'loopback', embedded: '127.0.0.1' });
    expect(classifyAddress('64:ff9b::a00:1')).toEqual({ internal: true, range: 'private', embedded: '10.0.0.1' });
    expect(classifyAddress('::1')).toEqual({ internal: true, range: 'loopback' });
  });
});

describe('checkGitUrl with internal address literals', () => {
  const urls = [
    'https://[::1]/r.git',
    'https://[0:0:0:0:0:0:0:1]/r.git',
    'https://[::ffff:127.0.0.1]/r.git',
    'https://[::ffff:7f00:1]/r.git',
    'https://[::127.0.0.1]/r.git',
    'https://[::ffff:0:7f00:1]/r.git',
    'https://[64:ff9b::127.0.0.1]/r.git',
    'https://[64:ff9b::10.0.0.1]/r.git',
    'https://[fe80::1]/r.git',
    'https://[fc00::1]/r.git',
    'https://[fd12:3456::1]:8443/r.git',
    'https://[::]/r.git',
    'https://[::ffff:169.254.169.254]/r.git',
    'https://127.1/r.git',
    'https://0x7f.0.0.1/r.git',
    'https://2130706433/r.git',
    'https://017700000001/r.git',
    'https://0/r.git',
    'https://10.0.0.1./r.git',
  ];

  it.each(urls)('refuses %s without resolving it', async (url) => {
    await expect(checkGitUrl(url, [], noDns)).rejects.toMatchObject({
      kind: 'bad_request',
      code: 'bad_git_url',
      message: expect.stringMatching(/internal address/),
    });
  });

  it('refuses a host whose DNS answer is an internal address in any spelling', async () => {
    for (const answer of ['::ffff:7f00:1', '::7f00:1', '64:ff9b::a00:1', 'fe80::1', 'fc00::1']) {
      await expect(
        checkGitUrl('https://sneaky.example/r.git', [], async () => ['140.82.121.3', answer]),
      ).rejects.toThrow(/internal address/);
    }
  });

  it('accepts a public IPv6 literal and NAT64 of a public address', async () => {
    await expect(checkGitUrl('https://[2606:4700::1111]/r.git', [], noDns)).resolves.toMatchObject({
      host: '2606:4700::1111',
      address: '2606:4700::1111',
    });
    await expect(
      checkGitUrl('https://git.example/r.git', [], async () => ['64:ff9b::8c52:7903']),
    ).resolves.toMatchObject({ address: '64:ff9b::8c52:7903' });
  });
});
