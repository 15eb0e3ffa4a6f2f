import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes';

describe('formatBytes', () => {
  it('reads like df -h: binary steps, one decimal below 10', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MB');
    expect(formatBytes(9.7 * 1024 ** 3)).toBe('9.7 GB');
    expect(formatBytes(10 * 1024 ** 3)).toBe('10 GB');
  });

  it('spells IEC units on request', () => {
    expect(formatBytes(2 * 1024 ** 3, { iec: true })).toBe('2.0 GiB');
    expect(formatBytes(512 * 1024 ** 2, { iec: true })).toBe('512 MiB');
  });
});
