// Plain-text tables for the terminal: a title, a header row, aligned columns.

export type Cell = string | number

export function printTable(title: string, header: readonly string[], rows: readonly (readonly Cell[])[], notes: readonly string[] = []): void {
  const text = rows.map((row) => row.map(String))
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((row) => (row[i] ?? '').length)))
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd()
  const rule = widths.map((w) => '─'.repeat(w)).join('  ')
  console.log(`\n${title}`)
  console.log(line(header))
  console.log(rule)
  for (const row of text) console.log(line(row))
  for (const note of notes) console.log(`  ${note}`)
  console.log('')
}

export type Verdict = 'PASS' | 'MISS' | '—'

export const verdict = (value: number, goal: number | undefined): Verdict => (goal === undefined ? '—' : value < goal ? 'PASS' : 'MISS')
