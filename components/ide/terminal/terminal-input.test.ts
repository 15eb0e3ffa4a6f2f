import { describe, expect, it } from 'vitest';
import { lostInputNotice, TerminalInput, type LostInput } from './terminal-input';

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('TerminalInput', () => {
  it('sends held keys in order once released, then at once', async () => {
    const sent: string[] = [];
    const lost: LostInput[] = [];
    const input = new TerminalInput(
      async (data) => sent.push(data),
      (item) => lost.push(item),
    );
    input.type('ec');
    input.type('ho\r');
    expect(sent).toEqual([]);
    input.release();
    input.type('x');
    await settle();
    expect(sent).toEqual(['ec', 'ho\r', 'x']);
    expect(lost).toEqual([]);
  });

  it('reports keys the server refused, with its reason, instead of dropping them', async () => {
    const lost: LostInput[] = [];
    const input = new TerminalInput(
      (data) => (data === 'b' ? Promise.reject(new Error('Terminal not found')) : Promise.resolve()),
      (item) => lost.push(item),
    );
    input.release();
    input.type('a');
    input.type('b');
    await settle();
    expect(lost).toEqual([{ chars: 1, reason: 'Terminal not found' }]);
  });

  it('reports input that does not fit in the hold while reconnecting', () => {
    const lost: LostInput[] = [];
    const input = new TerminalInput(
      () => Promise.resolve(),
      (item) => lost.push(item),
    );
    input.type('y'.repeat(16 * 1024));
    input.type('zz');
    expect(lost).toEqual([{ chars: 2, reason: 'more was typed than is kept while the terminal reconnects' }]);
  });
});

describe('lostInputNotice', () => {
  it('says how much was lost and why', () => {
    expect(lostInputNotice({ chars: 1, reason: 'Terminal not found' })).toBe(
      '1 typed character did not reach the terminal (Terminal not found). Type it again.',
    );
    expect(lostInputNotice({ chars: 12, reason: 'x' })).toMatch(/^12 typed characters .* Type them again\.$/);
  });
});
