// The server's resident set over many short assistant turns (REST, a new conversation every 10):
// RSS and its peak at the start and every `every` turns. No gc is forced: this is what a running
// server holds.
import type { ScriptedModelServer } from '../../server/test-support/scripted-model-server';
import { createConversation, runTurn } from './ai-turns';
import type { BenchServer } from './berth';
import { rssOf } from './process';
import { printTable, verdict } from './table';

export interface RssPoint {
  turns: number;
  rssMiB: number;
  hwmMiB: number;
}

export async function rssOverShortTurns(
  bench: BenchServer,
  model: ScriptedModelServer,
  projectId: string,
  turns: number,
  every: number,
): Promise<RssPoint[]> {
  const points: RssPoint[] = [{ turns: 0, ...rssOf(bench.server.pid) }];
  let conversationId = '';
  for (let turn = 1; turn <= turns; turn++) {
    if (turn % 10 === 1) conversationId = await createConversation(bench, projectId);
    model.enqueue({ kind: 'text', chunks: ['Short ', 'answer.'] });
    await runTurn(bench, projectId, conversationId, `Short turn ${turn}`);
    if (turn % every === 0) points.push({ turns: turn, ...rssOf(bench.server.pid) });
  }
  return points;
}

/** Judged on the growth over the second half (the first warms caches and pools up). */
export function printRss(points: readonly RssPoint[], goalMiB: number): void {
  const [start, middle, end] = [points[0]!, points[Math.floor(points.length / 2)]!, points.at(-1)!];
  const growth = end.rssMiB - middle.rssMiB;
  const goal = `turns ${middle.turns}→${end.turns} < ${goalMiB} MiB`;
  printTable(
    `Server RSS over ${end.turns} short turns (no gc forced)`,
    ['after turns', 'RSS', 'peak (VmHWM)', 'goal', 'verdict'],
    points.map((p) => [
      String(p.turns),
      `${p.rssMiB.toFixed(1)} MiB`,
      `${p.hwmMiB.toFixed(1)} MiB`,
      p === end ? goal : '—',
      p === end ? verdict(growth, goalMiB) : '—',
    ]),
    [
      `turns ${middle.turns}→${end.turns}: ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MiB; ${start.turns}→${end.turns}: ${(end.rssMiB - start.rssMiB).toFixed(1)} MiB`,
    ],
  );
}
