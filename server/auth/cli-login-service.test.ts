import { describe, expect, it } from 'vitest';
import { cliTokenName, newCliCode, normalizeCliCode } from './cli-login-service';

describe('CLI sign-in codes', () => {
  it('are four unambiguous letters and four digits', () => {
    for (let i = 0; i < 200; i++) expect(newCliCode()).toMatch(/^[A-HJ-NP-Z]{4}-[0-9]{4}$/);
  });

  it('are read back however the user typed them', () => {
    expect(normalizeCliCode('abcd-1234')).toBe('ABCD-1234');
    expect(normalizeCliCode(' ABCD 1234 ')).toBe('ABCD-1234');
    expect(normalizeCliCode('abcd1234')).toBe('ABCD-1234');
    expect(normalizeCliCode('ABC-12345')).toBeUndefined();
    expect(normalizeCliCode('../../x')).toBeUndefined();
  });

  it('name the token after the device, within the 64 characters a token name may have', () => {
    expect(cliTokenName('laptop')).toBe('berth CLI (laptop)');
    expect(cliTokenName(null)).toBe('berth CLI (unknown device)');
    const long = cliTokenName('x'.repeat(100));
    expect(long.length).toBe(64);
    expect(long.endsWith('…)')).toBe(true);
  });
});
