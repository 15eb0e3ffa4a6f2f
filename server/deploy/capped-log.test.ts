import { describe, expect, it } from 'vitest';
import { CappedLog } from './capped-log';

describe('CappedLog', () => {
  it('keeps short output whole', () => {
    const log = new CappedLog(100);
    log.append('one\n');
    log.append('two\n');
    expect(log.toString()).toBe('one\ntwo\n');
  });

  it('keeps the end of long output, from a line start, and says it left some out', () => {
    const log = new CappedLog(20);
    for (let line = 0; line < 50; line++) log.append(`line ${line}\n`);
    const text = log.toString();
    expect(text.startsWith('[… earlier output left out]\n')).toBe(true);
    const kept = text.split('\n').slice(1);
    expect(kept.at(-2)).toBe('line 49');
    expect(kept[0]).toMatch(/^line \d+$/);
    expect(kept.join('\n').length).toBeLessThanOrEqual(20);
  });
});
