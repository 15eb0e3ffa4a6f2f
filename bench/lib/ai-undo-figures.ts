// Undo of a 20-file turn is measured by ai-undo.bench.ts, which `npm run bench -- ai` runs just
// before ai.bench.ts (names sort ai-… before ai.): the ai bench shows its last figures beside its own.
import type { Summary } from './stats';
import { readSection } from './results';
import { printTable, verdict } from './table';

export function printUndoFromAiUndo(goalMs: number): void {
  const undo = readSection<{ undo: Summary; byHand: Summary }>('ai-undo');
  const row = (name: string, s: Summary, judged: boolean) => [
    name,
    `${s.p50} ms`,
    `${s.p95} ms`,
    judged ? `< ${goalMs} ms` : '—',
    judged ? verdict(s.p50, goalMs) : '—',
    undo!.measuredAt,
  ];
  printTable(
    '(3) Undo of a 20-file turn (ai-undo.bench.ts)',
    ['what', 'p50', 'p95', 'goal', 'verdict', 'measured at'],
    undo
      ? [
          row('POST …/turns/:tid/undo', undo.figures.undo, true),
          row('baseline: 20 file API requests in a row', undo.figures.byHand, false),
        ]
      : [['not measured yet: npm run bench -- ai-undo', '', '', '', '', '']],
  );
}
