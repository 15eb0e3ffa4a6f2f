import { describe, expect, it } from 'vitest';
import { OrderedGate } from './ordered-gate';

const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('OrderedGate', () => {
  it('keeps arrival order when an early step has to wait and later ones would not', async () => {
    const gate = new OrderedGate();
    const seen: string[] = [];
    gate.run(() => void seen.push('a'));
    gate.run(() => later(30).then(() => void seen.push('b')));
    gate.run(() => void seen.push('c'));
    gate.run(() => later(5).then(() => void seen.push('d')));
    gate.run(() => void seen.push('e'));
    expect(seen).toEqual(['a']);
    await later(80);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    gate.run(() => void seen.push('f')); // idle again: runs at once
    expect(seen.at(-1)).toBe('f');
  });

  it('goes on after a step that fails', async () => {
    const gate = new OrderedGate();
    const seen: string[] = [];
    gate.run(() => later(5).then(() => Promise.reject(new Error('boom'))));
    gate.run(() => void seen.push('after'));
    await later(30);
    expect(seen).toEqual(['after']);
  });
});
