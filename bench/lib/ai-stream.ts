// Stream throughput for the ai bench: a long answer of numbered tokens (one every `delayMs`) read
// straight from the scripted model server (the baseline), then through Berth: when its first and
// last tokens passed the tap (the provider's send times), reached the Socket.IO client (ai:text)
// and showed in the Assistant panel. Rates over first→last; lag is the last token's arrival less
// its send time.
import type { Page } from '@playwright/test';
import type { ScriptedModelServer, ScriptedStep } from '../../server/test-support/scripted-model-server';
import { nextPush, readProviderDirectly } from './ai-turns';
import { lastTextHas, watchPage } from './assistant-page';
import type { BenchSocket } from './bench-socket';
import { tapSees, type ModelTap } from './model-tap';
import { printTable } from './table';

/** [first token, last token] arrival times on the bench clock. */
export type Span = [number, number];

export interface StreamFigures {
  tokens: number;
  span: { direct: Span; tap: Span; socket: Span; browser: Span };
}

export interface StreamSetup {
  model: ScriptedModelServer;
  tap: ModelTap;
  socket: BenchSocket;
  page: Page;
  /** The page's epoch time on the bench clock. */
  pageAt(epochMs: number): number;
  /** Runs one turn through Berth (the step is queued). */
  runTurn(): Promise<void>;
}

export async function measureStream(setup: StreamSetup, tokens: number, delayMs: number): Promise<StreamFigures> {
  const { model, tap, socket, page } = setup;
  const chunks = Array.from({ length: tokens }, (_, i) => `t${String(i).padStart(4, '0')} `);
  const [first, last] = [chunks[0]!.trim(), chunks.at(-1)!.trim()];
  const step = (): ScriptedStep => ({ kind: 'text', chunks, delayMs });
  const timeoutMs = tokens * delayMs * 3 + 10_000;
  const direct: Span = [0, 0];
  await readProviderDirectly(model, step(), (text, at) => {
    if (!direct[0] && text.includes(first)) direct[0] = at;
    if (text.includes(last)) direct[1] = at;
  });
  model.enqueue(step());
  const tapped = [tapSees(tap, first, timeoutMs), tapSees(tap, last, timeoutMs)];
  const pushed = [first, last].map((token) => nextPush(socket, 'ai:text', (p) => p.text.includes(token), timeoutMs));
  const shown = [
    await watchPage(page, lastTextHas(first), timeoutMs),
    await watchPage(page, lastTextHas(last), timeoutMs),
  ];
  await setup.runTurn();
  const span = {
    direct,
    tap: (await Promise.all(tapped)) as Span,
    socket: (await Promise.all(pushed)) as Span,
    browser: (await Promise.all(shown.map((watch) => watch.settled()))).map(setup.pageAt) as Span,
  };
  return { tokens, span };
}

export const tokensPerSecond = ({ tokens }: StreamFigures, [a, b]: Span): number => (tokens - 1) / ((b - a) / 1000);
export const lastTokenLag = ({ span }: StreamFigures, [, b]: Span): number => b - span.tap[1];

/** Judged: the rate within 95% of the provider's at the tap and the last token's lag under `lagGoalMs`. */
export function printStream(figures: StreamFigures, lagGoalMs: number): void {
  const { span } = figures;
  const row = (name: string, s: Span, judged: boolean) => {
    const rate = tokensPerSecond(figures, s);
    const lag = lastTokenLag(figures, s);
    const ok = rate >= 0.95 * tokensPerSecond(figures, span.tap) && lag < lagGoalMs;
    return judged
      ? [
          name,
          rate.toFixed(1),
          `${lag.toFixed(1)} ms`,
          `≥ 95% of the tap's, lag < ${lagGoalMs} ms`,
          ok ? 'PASS' : 'MISS',
        ]
      : [name, rate.toFixed(1), '—', '—', '—'];
  };
  printTable(
    `(4) Stream throughput: ${figures.tokens} tokens`,
    ['what', 'tokens/s', 'last token lag', 'goal', 'verdict'],
    [
      row('baseline: provider alone (plain fetch)', span.direct, false),
      row('provider through Berth (at the tap)', span.tap, false),
      row('socket client (ai:text)', span.socket, true),
      row('panel (text in the DOM)', span.browser, true),
    ],
    ['lag: when the last token arrived, less when the model sent it (at the tap)'],
  );
}
