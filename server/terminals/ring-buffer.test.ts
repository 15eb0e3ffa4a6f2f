import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer';

describe('RingBuffer', () => {
  it('keeps everything below capacity, in order', () => {
    const buffer = new RingBuffer(10);
    buffer.append('abc');
    buffer.append('def');
    expect(buffer.toString()).toBe('abcdef');
    expect(buffer.size).toBe(6);
  });

  it('keeps only the newest characters past capacity', () => {
    const buffer = new RingBuffer(5);
    buffer.append('abc');
    buffer.append('defg');
    expect(buffer.toString()).toBe('cdefg');
    buffer.append('0123456789');
    expect(buffer.toString()).toBe('56789');
    expect(buffer.size).toBe(5);
  });

  it('stays bounded under a flood of small chunks', () => {
    const buffer = new RingBuffer(1000);
    for (let i = 0; i < 100_000; i++) buffer.append('y\n');
    expect(buffer.size).toBe(1000);
    expect(buffer.toString()).toBe('y\n'.repeat(500));
  });
});
