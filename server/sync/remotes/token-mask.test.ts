import { describe, expect, it } from 'vitest';
import { maskRemoteToken } from './token-mask';

describe('maskRemoteToken', () => {
  it("shows a Berth token's prefix, the four characters Berth lists it by and its last four", () => {
    const token = 'berth_pat_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd';
    expect(maskRemoteToken(token)).toBe('berth_pat_AbCd••••abcd');
    expect(maskRemoteToken(token)).not.toContain('EfGh');
  });

  it('shows little of short or unprefixed tokens', () => {
    expect(maskRemoteToken('berth_pat_short')).toBe('berth_pat_••••');
    expect(maskRemoteToken('0123456789abcdefXYZW')).toBe('0123••••XYZW');
    expect(maskRemoteToken('tiny')).toBe('••••');
  });
});
