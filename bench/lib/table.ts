// Plain-text tables for the terminal: a title, a header row, aligned columns.
import { ms, type Summary } from './stats';

export type Cell = string | number;

export function printTable(
  title: string,
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  notes: readonly string[] = [],
): void {
  const text = rows.map((row) => row.map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(rule);
  for (const row of text) console.log(line(row));
  for (const note of notes) console.log(`  ${note}`);
  console.log('');
}

export type Verdict = 'PASS' | 'MISS' | '—';

export const verdict = (value: number, goal: number | undefined): Verdict =>
  goal === undefined ? '—' : value < goal ? 'PASS' : 'MISS';

/** Header of a summary table: min, percentiles and max of each row, then its goal and verdict. */
export const SUMMARY_HEADER = ['what', 'n', 'min', 'p50', 'p95', 'p99', 'max', 'goal', 'verdict'] as const;
/** The same without min (SUMMARY_HEADER less 'min'), for summaryRow(…, { min: false }). */
export const SUMMARY_HEADER_NO_MIN = ['what', 'n', 'p50', 'p95', 'p99', 'max', 'goal', 'verdict'] as const;

/** One row of a summary table: name, n, [min,] p50, p95, p99, max (as ms), goal and verdict. */
export function summaryRow(name: string, s: Summary, goal = '—', judged = '—', { min = true } = {}): Cell[] {
  return [name, s.n, ...(min ? [ms(s.min)] : []), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max), goal, judged];
}

/** The row of the measured side judged on its p50: goal `p50 < goalMs ms` and its verdict. */
export const p50GoalRow = (name: string, s: Summary, goalMs: number): Cell[] =>
  summaryRow(name, s, `p50 < ${goalMs} ms`, verdict(s.p50, goalMs));
