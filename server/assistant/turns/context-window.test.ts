import { describe, expect, it } from 'vitest';
import type { MessageDto } from '../../contracts';
import {
  estimateTokens,
  fitHistory,
  HISTORY_ARG_MAX_CHARS,
  HISTORY_RESULT_MAX_CHARS,
  keepTail,
  messageTokens,
  SUMMARY_MAX_LINES,
} from './context-window';
import { messageBuilder } from '../../test-support/stored-messages';

const message = messageBuilder();

/** One request: the user's message, a write_file call, its result, the answer. */
function turn(n: number, answerChars = 400): MessageDto[] {
  const turnId = `t${n}`;
  return [
    message({ role: 'user', content: `Request number ${n}`, turnId }),
    message({
      role: 'assistant',
      content: 'On it.',
      toolCalls: [{ id: `c${n}`, name: 'write_file', args: { path: `file${n}.js`, content: 'x' } }],
      turnId,
    }),
    message({
      role: 'tool',
      toolResults: [{ callId: `c${n}`, name: 'write_file', output: `Created file${n}.js`, isError: false }],
      turnId,
    }),
    message({ role: 'assistant', content: 'a'.repeat(answerChars), turnId }),
  ];
}

const tokensOf = (messages: MessageDto[]) => messages.reduce((sum, m) => sum + messageTokens(m), 0);

describe('fitHistory', () => {
  it('keeps a conversation that fits as it is, with no summary', () => {
    const history = [...turn(1), ...turn(2)];
    const fitted = fitHistory({ history, budgetTokens: 10_000 });
    expect(fitted.messages).toEqual(history);
    expect(fitted.summary).toBe('');
  });

  it('keeps the newest whole turns within the budget and summarises the older ones, oldest first', () => {
    const history = Array.from({ length: 10 }, (_, i) => turn(i + 1)).flat();
    const perTurn = tokensOf(turn(0));
    const fitted = fitHistory({
      history,
      budgetTokens: perTurn * 3 + 5,
      turns: [{ id: 't2', changedFiles: [{ path: 'src/App.jsx', change: 'modified' }] }],
    });
    expect(fitted.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual([
      'Request number 8',
      'Request number 9',
      'Request number 10',
    ]);
    // Whole turns: each kept group starts with its user message and keeps its call and result.
    expect(fitted.messages.map((m) => m.role)).toEqual(
      Array(3).fill(['user', 'assistant', 'tool', 'assistant']).flat(),
    );
    expect(tokensOf(fitted.messages)).toBeLessThanOrEqual(perTurn * 3 + 5);
    const lines = fitted.summary.split('\n');
    expect(lines[0]).toMatch(/^Earlier in this conversation/);
    expect(lines.slice(1)).toEqual([
      '- The user asked: "Request number 1" → changed file1.js (modified)',
      // The turn's own record wins over what its calls suggest.
      '- The user asked: "Request number 2" → changed src/App.jsx (modified)',
      ...[3, 4, 5, 6, 7].map((n) => `- The user asked: "Request number ${n}" → changed file${n}.js (modified)`),
    ]);
  });

  it('is deterministic: the same history gives the same messages and summary', () => {
    const history = Array.from({ length: 6 }, (_, i) => turn(i + 1)).flat();
    expect(fitHistory({ history, budgetTokens: 300 })).toEqual(fitHistory({ history, budgetTokens: 300 }));
  });

  it('summarises everything when not even the newest turn fits, and says when nothing changed', () => {
    const history = [message({ role: 'user', content: 'Explain\n  the   code', turnId: 't1' }), ...turn(2, 10_000)];
    const fitted = fitHistory({ history, budgetTokens: 100 });
    expect(fitted.messages).toEqual([]);
    expect(fitted.summary.split('\n').slice(1)).toEqual([
      '- The user asked: "Explain the code" → no files changed',
      '- The user asked: "Request number 2" → changed file2.js (modified)',
    ]);
  });

  it('cuts a long request in its summary line and lists at most SUMMARY_MAX_LINES requests', () => {
    const many = Array.from({ length: SUMMARY_MAX_LINES + 5 }, (_, i) =>
      message({ role: 'user', content: i === SUMMARY_MAX_LINES + 4 ? 'y'.repeat(1000) : `q${i}` }),
    );
    const fitted = fitHistory({ history: many, budgetTokens: 0 });
    const lines = fitted.summary.split('\n');
    expect(lines[1]).toBe('- (5 earlier requests not listed)');
    expect(lines).toHaveLength(SUMMARY_MAX_LINES + 2);
    expect(lines.at(-1)!.length).toBeLessThan(250);
    expect(lines.at(-1)).toMatch(/y…" → no files changed$/);
  });

  it('cuts a long tool result to its tail with a marker, and a long argument to its start; the stored message is untouched', () => {
    const output = `${'start '.repeat(2000)}THE END`;
    const content = `BEGIN ${'z'.repeat(HISTORY_ARG_MAX_CHARS * 3)}`;
    const history = [
      message({ role: 'user', content: 'Run it' }),
      message({
        role: 'assistant',
        toolCalls: [{ id: 'c', name: 'write_file', args: { path: 'big.txt', content } }],
      }),
      message({ role: 'tool', toolResults: [{ callId: 'c', name: 'run_command', output, isError: false }] }),
    ];
    const fitted = fitHistory({ history, budgetTokens: 100_000 });
    const result = fitted.messages[2]!.toolResults[0]!.output as string;
    expect(result.length).toBeLessThan(HISTORY_RESULT_MAX_CHARS + 100);
    expect(result).toMatch(/^\[… \d+ earlier characters left out …\]\n/);
    expect(result.endsWith('THE END')).toBe(true);
    const args = fitted.messages[1]!.toolCalls[0]!.args as { path: string; content: string };
    expect(args.path).toBe('big.txt');
    expect(args.content.startsWith('BEGIN ')).toBe(true);
    expect(args.content).toMatch(/\[… \d+ more characters left out …\]$/);
    expect(args.content.length).toBeLessThan(HISTORY_ARG_MAX_CHARS + 100);
    expect(history[2]!.toolResults[0]!.output).toBe(output);
  });

  it('a JSON tool result counts and is cut like text', () => {
    const big = { lines: Array.from({ length: 2000 }, (_, i) => `line ${i}`) };
    const history = [
      message({ role: 'user', content: 'x' }),
      message({ role: 'tool', toolResults: [{ callId: 'c', name: 'search', output: big, isError: false }] }),
    ];
    const [, tool] = fitHistory({ history, budgetTokens: 100_000 }).messages;
    expect(typeof tool!.toolResults[0]!.output).toBe('string');
    expect(tool!.toolResults[0]!.output).toMatch(/line 1999"\]\}$/);
  });
});

describe('estimates', () => {
  it('counts about four characters per token', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
  });

  it('keepTail leaves short text alone', () => {
    expect(keepTail('short', 10)).toBe('short');
    expect(keepTail('0123456789abc', 3)).toBe('[… 10 earlier characters left out …]\nabc');
  });
});
