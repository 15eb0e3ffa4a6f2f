import { describe, expect, it } from 'vitest';
import { ATTACHED_FILE_MAX_CHARS, describeAttachments, fenced } from './turn-attachments';
import { buildTurnContext, type TurnContextInput } from './turn-context';
import { TEXT_PROTOCOL_INSTRUCTIONS } from './text-protocol-messages';
import { messageBuilder } from '../../test-support/stored-messages';

const message = messageBuilder();

const input = (fields: Partial<TurnContextInput> = {}): TurnContextInput => ({
  protocol: 'tools',
  projectName: 'Todo',
  toolNames: ['write_file'],
  tree: { entries: [], truncated: false },
  history: [],
  request: 'Add a button',
  notes: [],
  contextTokens: 32_000,
  maxOutputTokens: 8_192,
  ...fields,
});

describe('buildTurnContext', () => {
  it('sends the request as typed when there is no note, and the notes before it otherwise', () => {
    expect(buildTurnContext(input()).messages).toEqual([{ role: 'user', content: 'Add a button' }]);
    const { messages } = buildTurnContext(input({ notes: ['EDITS', '', 'ATTACHED'] }));
    expect(messages).toEqual([{ role: 'user', content: 'EDITS\n\nATTACHED\n\n---\n\nAdd a button' }]);
  });

  it('trims a long conversation to the window and summarises the rest in the system prompt', () => {
    const history = Array.from({ length: 30 }, (_, i) => [
      message({ role: 'user', content: `Request ${i}` }),
      message({ role: 'assistant', content: 'x'.repeat(2_000) }),
    ]).flat();
    const whole = buildTurnContext(input({ history }));
    expect(whole.messages).toHaveLength(61);
    expect(whole.system).not.toContain('Earlier in this conversation');

    const { system, messages } = buildTurnContext(input({ history, contextTokens: 4_000, maxOutputTokens: 1_000 }));
    expect(messages.length).toBeLessThan(61);
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'Add a button' });
    expect(messages[0]).toMatchObject({ role: 'user' });
    const chars = system.length + messages.reduce((sum, m) => sum + JSON.stringify(m.content).length, 0);
    expect(chars / 4).toBeLessThan(3_000 + 2_500);
    expect(system).toContain('Earlier in this conversation');
    expect(system).toContain('- The user asked: "Request 0" → no files changed');
  });

  it('tells a text-protocol model the blocks and replays its history as text', () => {
    const history = [
      message({ role: 'user', content: 'Make a file' }),
      message({
        role: 'assistant',
        content: 'Sure.',
        toolCalls: [{ id: 'c', name: 'write_file', args: { path: 'a.txt', content: 'A\n' } }],
      }),
      message({
        role: 'tool',
        toolResults: [{ callId: 'c', name: 'write_file', output: 'Created a.txt.', isError: false }],
      }),
    ];
    const { system, messages } = buildTurnContext(input({ protocol: 'text', history }));
    expect(system).toContain(TEXT_PROTOCOL_INSTRUCTIONS);
    expect(messages).toEqual([
      { role: 'user', content: 'Make a file' },
      { role: 'assistant', content: 'Sure.\n```file path=a.txt\nA\n```' },
      // The results note and the new request are one user message.
      { role: 'user', content: 'Results of your blocks:\n- write_file: Created a.txt.\n\nAdd a button' },
    ]);
  });

  it("replays a past message's selection with it", () => {
    const history = [
      message({
        role: 'user',
        content: 'Why?',
        attachments: [{ path: 'src/a.js', selection: { startLine: 2, endLine: 3, text: 'x = 1;\ny = 2;' } }],
      }),
    ];
    expect(buildTurnContext(input({ history })).messages[0]).toEqual({
      role: 'user',
      // A request left unanswered (a failed turn) and the new one go as one user message.
      content: '[Attached src/a.js, lines 2-3:]\n```\nx = 1;\ny = 2;\n```\n\nWhy?\n\nAdd a button',
    });
  });
});

describe('describeAttachments', () => {
  it('shows a selection as sent and a whole file as read now, cut at the cap; a failed read is said', async () => {
    const reads: string[] = [];
    const note = await describeAttachments(
      [
        { path: 'src/App.jsx', selection: { startLine: 3, endLine: 4, text: 'const a = `x`;\n' } },
        { path: 'src/big.txt' },
        { path: 'logo.png' },
        { path: 'gone.js' },
      ],
      async (path) => {
        reads.push(path);
        if (path === 'src/big.txt')
          return { content: 'b'.repeat(ATTACHED_FILE_MAX_CHARS + 10), binary: false, size: 1 };
        if (path === 'logo.png') return { content: null, binary: true, size: 10 };
        throw new Error('gone.js was not found');
      },
    );
    expect(reads).toEqual(['src/big.txt', 'logo.png', 'gone.js']);
    const parts = note.split('\n\n');
    expect(parts[0]).toBe('The user attached:');
    expect(parts[1]).toBe('src/App.jsx, lines 3-4 (their selection):\n```\nconst a = `x`;\n```');
    expect(parts[2]).toMatch(
      /^src\/big\.txt \(the whole file as it is now \(its first 50000 characters; read_file shows the rest\)\):\n```\nb+\n```$/,
    );
    expect(parts[2]!.length).toBeLessThan(ATTACHED_FILE_MAX_CHARS + 200);
    expect(parts[3]).toBe('logo.png: a binary file (not shown).');
    expect(parts[4]).toBe('gone.js: could not be read (gone.js was not found).');
    expect(await describeAttachments([], async () => ({ content: '', binary: false, size: 0 }))).toBe('');
  });

  it('fences text with more backticks than it holds', () => {
    expect(fenced('a ``` b')).toBe('````\na ``` b\n````');
  });
});
