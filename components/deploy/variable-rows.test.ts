import { describe, expect, it } from 'vitest';
import { MASKED_VALUE } from '@/server/contracts';
import { checkRows, inputOf, newRow, rowsOf } from './variable-rows';

describe('variable rows', () => {
  it('keeps a stored secret masked, and sends the mask back so the server keeps its value', () => {
    const rows = rowsOf([
      { name: 'API_KEY', value: MASKED_VALUE, secret: true },
      { name: 'MODE', value: 'demo', secret: false },
    ]);
    expect(rows.map((row) => row.stored)).toEqual([true, false]);
    expect(inputOf(rows).variables).toEqual([
      { name: 'API_KEY', value: MASKED_VALUE, secret: true },
      { name: 'MODE', value: 'demo', secret: false },
    ]);
  });

  it('leaves blank rows out and names each bad field on its own row', () => {
    const blank = newRow();
    const bad = { ...newRow(), name: '1X', value: 'v' };
    const reserved = { ...newRow(), name: 'PORT', value: '1' };
    const good = { ...newRow(), name: 'OK', value: 'v' };
    const checked = checkRows([blank, bad, good, reserved]);
    expect(inputOf([blank, good]).variables).toHaveLength(1);
    expect(checked.rows[bad.key]?.name).toMatch(/not starting with a digit/);
    expect(checked.rows[reserved.key]?.name).toMatch(/set by Berth/);
    expect(checked.rows[good.key]).toBeUndefined();
    expect(checked.rows[blank.key]).toBeUndefined();
  });

  it('marks both rows of a duplicated name', () => {
    const first = { ...newRow(), name: 'A', value: '1' };
    const second = { ...newRow(), name: 'A', value: '2' };
    const checked = checkRows([first, second]);
    expect(checked.list).toMatch(/unique/);
    expect(checked.rows[second.key]?.name).toMatch(/twice/);
  });
});
