import { describe, expect, it } from 'vitest';
import { classifyConnectError, connectionLabel, isOtherOrigin, refusalMessage } from './connection-state';

describe('classifyConnectError', () => {
  it("tells the server's refusals apart", () => {
    expect(classifyConnectError({ message: 'unauthorized' })).toBe('unauthorized');
    expect(classifyConnectError({ message: 'too_many_sockets' })).toBe('too_many');
    expect(classifyConnectError({ message: 'origin not allowed' })).toBe('origin');
    expect(classifyConnectError({ message: 'websocket error' })).toBe('unknown');
  });

  it("reads too_many_sockets' text from error.data", () => {
    const error = { message: 'too_many_sockets', data: { message: 'Too many open connections (50) for your account' } };
    expect(refusalMessage(error)).toBe('Too many open connections (50) for your account');
    expect(refusalMessage({ message: 'websocket error' })).toBeUndefined();
    expect(connectionLabel({ state: 'too_many', message: refusalMessage(error) })).toBe(
      'Too many open connections (50) for your account',
    );
  });
});

describe('isOtherOrigin', () => {
  it("compares the page's origin with BERTH_URL's", () => {
    expect(isOtherOrigin('http://localhost:3000', 'http://localhost:3000')).toBe(false);
    expect(isOtherOrigin('http://localhost:3000', 'http://localhost:3000/')).toBe(false);
    expect(isOtherOrigin('http://192.168.1.20:3000', 'http://localhost:3000')).toBe(true);
    expect(isOtherOrigin('http://localhost:3000', 'not a url')).toBe(false);
  });

  it('names the address to open', () => {
    expect(connectionLabel({ state: 'wrong_origin', berthUrl: 'http://localhost:3000' })).toContain(
      'http://localhost:3000',
    );
  });
});
