import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createHostPolicy } from './host-policy';

const request = (host?: string) => ({ headers: host === undefined ? {} : { host } }) as IncomingMessage;

describe('host policy', () => {
  const local = createHostPolicy({
    berthUrl: 'http://localhost:3000',
    allowedHosts: ['berth.lan', 'ide.example.com:8443'],
    listenPort: 3000,
  });

  it("serves BERTH_URL's host and the allowed names", () => {
    for (const host of ['localhost:3000', 'LOCALHOST:3000', 'berth.lan', 'berth.lan:3000', 'ide.example.com:8443'])
      expect(local(request(host))).toBe('ide');
  });

  it('treats other loopback spellings of its own port as aliases', () => {
    for (const host of ['127.0.0.1:3000', '[::1]:3000', '127.1.2.3:3000'])
      expect(local(request(host))).toBe('loopback-alias');
  });

  it('refuses everything else: rebinding names, other ports, missing or malformed hosts', () => {
    for (const host of [
      'evil.example',
      'evil.example:3000',
      'localhost:3001',
      '127.0.0.1:5432',
      'ide.example.com:443',
      'localhost',
      'a b',
      '',
    ])
      expect(local(request(host))).toBe('refused');
    expect(local(request())).toBe('refused');
  });

  it('knows default ports of https URLs', () => {
    const secure = createHostPolicy({ berthUrl: 'https://ide.example.com', allowedHosts: [], listenPort: 3000 });
    expect(secure(request('ide.example.com'))).toBe('ide');
    expect(secure(request('ide.example.com:443'))).toBe('ide');
    expect(secure(request('127.0.0.1:3000'))).toBe('loopback-alias');
    expect(secure(request('ide.example.com:80'))).toBe('refused');
  });
});
