import { describe, expect, it } from 'vitest';
import { HeldInput } from './held-input';

describe('HeldInput', () => {
  it('holds keys until the terminal is attached, then sends them in order', () => {
    const sent: string[] = [];
    const send = (data: string) => sent.push(data);
    const input = new HeldInput();
    input.input('ec', send);
    input.input('ho\r', send);
    expect(sent).toEqual([]);
    input.release(send);
    expect(sent).toEqual(['ec', 'ho\r']);
    input.input('x', send);
    expect(sent).toEqual(['ec', 'ho\r', 'x']);
  });

  it('holds again from hold() (the connection dropped) until the next release', () => {
    const sent: string[] = [];
    const send = (data: string) => sent.push(data);
    const input = new HeldInput();
    input.release(send);
    input.input('a', send);
    input.hold();
    input.input('b', send);
    input.hold();
    input.input('c', send);
    expect(sent).toEqual(['a']);
    input.release(send);
    expect(sent).toEqual(['a', 'b', 'c']);
  });

  it('drops what does not fit instead of sending a paste in part later', () => {
    const sent: string[] = [];
    const input = new HeldInput();
    expect(input.input('y'.repeat(16 * 1024), () => undefined)).toBe(true);
    expect(input.input('z', () => undefined)).toBe(false);
    input.release((data) => sent.push(data));
    expect(sent.join('')).toHaveLength(16 * 1024);
  });
});
