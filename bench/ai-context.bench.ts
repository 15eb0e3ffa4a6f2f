// Issue 11 (`npm run bench -- ai`): what preparing a turn's model input and reading a text-protocol
// answer cost Berth, in CPU time (no model, no Docker: pure functions on made-up but realistic data),
// each beside a same-run baseline of what it replaces or adds to.
// (1) A 200-request conversation (each a write_file call, a 20 KB command output, a 1 KB answer)
//     fitted to a 32,000-token window (buildTurnContext) vs replaying it whole (toModelMessages, the
//     path before the context window existed).
// (2) One step of a 25-step turn cut to fit (fitStepMessages) vs measuring its size (JSON.stringify).
// (3) A 200 KB text-protocol answer with 20 file blocks parsed a character at a time and in 20-character
//     chunks (a token is ~4) vs joining the same chunks into a string.
// (4) The user's edits: a unified diff of a 3,000-line file with 30 scattered edits vs the line counts
//     of the same change (diffLineCounts, what each change card already computes).
// Goal: preparing the input adds < 5 ms (p50) to the time to first token (issue goal p50 < 30 ms).
import type { MessageDto } from '../server/contracts';
import { diffLineCounts } from '../server/assistant/tools/line-diff';
import { toModelMessages } from '../server/assistant/turns/model-messages';
import { fitStepMessages } from '../server/assistant/turns/step-window';
import { TextProtocolParser } from '../server/assistant/turns/text-protocol-parser';
import { buildTurnContext } from '../server/assistant/turns/turn-context';
import { unifiedDiff } from '../server/assistant/turns/unified-diff';
import { runBench } from './lib/cleanup';
import { writeSection } from './lib/results';
import { rounded, summarize, type Summary } from './lib/stats';
import { printTable, SUMMARY_HEADER, summaryRow, verdict } from './lib/table';
import { messageBuilder } from '../server/test-support/stored-messages';

const ROUNDS = 60;
const WARMUP = 5;
const GOAL_CONTEXT_MS = 5;

function time(rounds: number, work: () => unknown): Summary {
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + rounds; i++) {
    const started = performance.now();
    work();
    const took = performance.now() - started;
    if (i >= WARMUP) samples.push(took);
  }
  return summarize(samples);
}

const message = messageBuilder();

function conversation(requests: number): MessageDto[] {
  const output = Array.from({ length: 400 }, (_, i) => `line ${i} of a long build output ………………`).join('\n');
  const file = Array.from({ length: 60 }, (_, i) => `export const value${i} = ${i};`).join('\n');
  return Array.from({ length: requests }, (_, n) => {
    const turnId = `t${n}`;
    return [
      message({ role: 'user', content: `Request ${n}: change the app a little`, turnId }),
      message({
        role: 'assistant',
        content: 'Doing it.',
        toolCalls: [
          { id: `w${n}`, name: 'write_file', args: { path: `src/f${n}.js`, content: file } },
          { id: `r${n}`, name: 'run_command', args: { command: 'npm run build' } },
        ],
        turnId,
      }),
      message({
        role: 'tool',
        toolResults: [
          { callId: `w${n}`, name: 'write_file', output: `Created src/f${n}.js (60 lines).`, isError: false },
          { callId: `r${n}`, name: 'run_command', output, isError: false },
        ],
        turnId,
      }),
      message({ role: 'assistant', content: 'x'.repeat(1_000), turnId }),
    ];
  }).flat();
}

await runBench('ai-context', async () => {
  console.log('── ai-context: turn input and text-protocol parsing, CPU only');
  const history = conversation(200);
  const turns = history.filter((m) => m.role === 'user').map((m) => ({ id: m.turnId!, changedFiles: [] }));
  const tree = {
    entries: Array.from({ length: 300 }, (_, i) => ({
      name: `f${i}.js`,
      path: `src/f${i}.js`,
      kind: 'file' as const,
      size: 100,
      mtimeMs: 0,
    })),
    truncated: true,
  };
  const context = time(ROUNDS, () =>
    buildTurnContext({
      protocol: 'tools',
      projectName: 'Bench',
      toolNames: ['read_file', 'write_file', 'edit_file', 'run_command'],
      tree,
      history,
      turns,
      request: 'One more change',
      notes: [],
      contextTokens: 32_000,
      maxOutputTokens: 8_192,
    }),
  );
  const whole = time(ROUNDS, () => toModelMessages(history));

  const stepMessages = toModelMessages(history.slice(-100)); // 25 steps of the newest requests
  const step = time(ROUNDS, () => fitStepMessages(stepMessages, 20_000));
  const measure = time(ROUNDS, () => JSON.stringify(stepMessages).length);

  const fileBody = Array.from({ length: 250 }, (_, i) => `  <li key="${i}">item ${i}</li>`).join('\n');
  const answer = Array.from(
    { length: 20 },
    (_, i) => `Now file ${i}:\n\`\`\`file path=src/c${i}.jsx\n${fileBody}\n\`\`\`\n`,
  ).join('');
  const byChar = [...answer];
  const by20 = Array.from({ length: Math.ceil(answer.length / 20) }, (_, i) => answer.slice(i * 20, i * 20 + 20));
  const parse = (chunks: string[]) => () => {
    const parser = new TextProtocolParser();
    let blocks = 0;
    for (const chunk of chunks) for (const event of parser.push(chunk)) if (event.type === 'file') blocks++;
    parser.end();
    if (blocks !== 20) throw new Error(`parsed ${blocks} blocks, not 20`);
  };
  const parseChars = time(20, parse(byChar));
  const parseChunks = time(20, parse(by20));
  const join = time(20, () => by20.join(''));

  const before = Array.from({ length: 3_000 }, (_, i) => `const line${i} = ${i};`).join('\n');
  const after = before
    .split('\n')
    .map((line, i) => (i % 100 === 50 ? `${line} // edited` : line))
    .join('\n');
  const diff = time(ROUNDS, () => unifiedDiff(before, after));
  const counts = time(ROUNDS, () => diffLineCounts(before, after));

  const kb = (answer.length / 1024).toFixed(0);
  printTable(
    'Turn input and text protocol (ms per operation)',
    SUMMARY_HEADER,
    [
      summaryRow(
        'context: 200 requests fitted to 32k tokens',
        context,
        `< ${GOAL_CONTEXT_MS}`,
        verdict(context.p50, GOAL_CONTEXT_MS),
      ),
      summaryRow('  baseline: the same replayed whole', whole),
      summaryRow('step: 25 steps cut to fit', step),
      summaryRow('  baseline: JSON size of the step', measure),
      summaryRow(`parse ${kb} KB answer, 1 char a chunk`, parseChars),
      summaryRow(`parse ${kb} KB answer, 20 chars a chunk`, parseChunks),
      summaryRow('  baseline: join the chunks', join),
      summaryRow('unified diff, 3,000 lines, 30 edits', diff),
      summaryRow('  baseline: line counts of the change', counts),
    ],
    [
      `parsing throughput at 20 chars a chunk: ${((answer.length / 1024 / 1024) * (1000 / parseChunks.p50)).toFixed(1)} MB/s` +
        ' (a model streams ~1 KB/s at 200 tokens/s)',
    ],
  );
  writeSection('ai-context', {
    context: rounded(context),
    contextBaseline: rounded(whole),
    step: rounded(step),
    stepBaseline: rounded(measure),
    parseChars: rounded(parseChars),
    parseChunks: rounded(parseChunks),
    parseBaseline: rounded(join),
    diff: rounded(diff),
    diffBaseline: rounded(counts),
    goals: { contextP50Ms: GOAL_CONTEXT_MS },
  });
});
