import { describe, expect, it } from 'vitest';
import type { MessageDto } from '../../contracts';
import { toModelMessages } from './model-messages';

const message = (fields: Partial<MessageDto> & Pick<MessageDto, 'role'>): MessageDto => ({
  id: `m${fields.seq ?? 0}`,
  seq: 0,
  content: '',
  toolCalls: [],
  toolResults: [],
  attachments: [],
  turnId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...fields,
});

describe('toModelMessages', () => {
  it('replays user text, assistant text with its calls, and results as text, JSON or error text', () => {
    expect(
      toModelMessages([
        message({ role: 'system', content: 'old prompt' }),
        message({ role: 'user', content: 'Fix it' }),
        message({
          role: 'assistant',
          content: 'Looking.',
          toolCalls: [
            { id: 'a', name: 'read_file', args: { path: 'x.js' } },
            { id: 'b', name: 'get_preview', args: {} },
            { id: 'c', name: 'edit_file', args: '{"path": broken' },
          ],
        }),
        message({
          role: 'tool',
          toolResults: [
            { callId: 'a', name: 'read_file', output: 'const x = 1;', isError: false },
            { callId: 'b', name: 'get_preview', output: { url: 'http://p' }, isError: false },
            { callId: 'c', name: 'edit_file', output: 'Error: bad input', isError: true },
          ],
        }),
        message({ role: 'assistant', content: '' }),
        message({ role: 'assistant', content: 'Done.' }),
      ]),
    ).toEqual([
      { role: 'user', content: 'Fix it' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Looking.' },
          { type: 'tool-call', toolCallId: 'a', toolName: 'read_file', input: { path: 'x.js' } },
          { type: 'tool-call', toolCallId: 'b', toolName: 'get_preview', input: {} },
          { type: 'tool-call', toolCallId: 'c', toolName: 'edit_file', input: '{"path": broken' },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'a',
            toolName: 'read_file',
            output: { type: 'text', value: 'const x = 1;' },
          },
          {
            type: 'tool-result',
            toolCallId: 'b',
            toolName: 'get_preview',
            output: { type: 'json', value: { url: 'http://p' } },
          },
          {
            type: 'tool-result',
            toolCallId: 'c',
            toolName: 'edit_file',
            output: { type: 'error-text', value: 'Error: bad input' },
          },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] },
    ]);
  });
});
