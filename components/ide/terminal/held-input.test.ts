import { describe, expect, it } from 'vitest';
import { HeldInput } from './held-input';

describe('HeldInput', () => {
  it('holds keys until the terminal is attached, then sends them in order', () => {
    const sent: string[] = [];
    const send = (data: string) => sent.push(data);
    const input = new HeldInput();
    input.input('ec', send, true);
    input.input('ho\r', send, true);
    expect(sent).toEqual([]);
    input.release(send);
    expect(sent).toEqual(['ec', 'ho\r']);
    input.input('x', send, true);
    expect(sent).toEqual(['ec', 'ho\r', 'x']);
  });

  it('holds while the socket is down even when released, and again from hold()', () => {
    const sent: string[] = [];
    const send = (data: string) => sent.push(data);
    const input = new HeldInput();
    input.release(send);
    input.input('a', send, false);
    expect(sent).toEqual([]);
    input.input('b', send, true);
    expect(sent).toEqual([]);
    input.release(send);
    expect(sent).toEqual(['a', 'b']);
    input.hold();
    input.input('c', send, true);
    expect(sent).toEqual(['a', 'b']);
  });

  it('drops what does not fit instead of sending a paste in part later', () => {
    const sent: string[] = [];
    const input = new HeldInput();
    expect(input.input('y'.repeat(16 * 1024), () => undefined, false)).toBe(true);
    expect(input.input('z', () => undefined, false)).toBe(false);
    input.release((data) => sent.push(data));
    expect(sent.join('')).toHaveLength(16 * 1024);
  });
});
