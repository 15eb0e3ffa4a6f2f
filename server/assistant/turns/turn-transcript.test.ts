import { describe, expect, it } from 'vitest';
import { TurnTranscript, UNANSWERED_CALL_ERROR } from './turn-transcript';

describe('TurnTranscript', () => {
  it("gives a step's text and calls as one assistant message, then its results as one tool message", () => {
    const transcript = new TurnTranscript();
    transcript.addText('Reading ');
    transcript.addText('both.');
    transcript.addCall({ id: 'a', name: 'read_file', args: { path: 'a.js' } });
    transcript.addCall({ id: 'b', name: 'read_file', args: { path: 'b.js' } });
    transcript.addResult({ callId: 'a', name: 'read_file', output: 'one', isError: false });
    transcript.addResult({ callId: 'b', name: 'read_file', output: 'Error: no b.js', isError: true });
    expect(transcript.take()).toEqual([
      {
        role: 'assistant',
        content: 'Reading both.',
        toolCalls: [
          { id: 'a', name: 'read_file', args: { path: 'a.js' } },
          { id: 'b', name: 'read_file', args: { path: 'b.js' } },
        ],
      },
      {
        role: 'tool',
        content: '',
        toolResults: [
          { callId: 'a', name: 'read_file', output: 'one', isError: false },
          { callId: 'b', name: 'read_file', output: 'Error: no b.js', isError: true },
        ],
      },
    ]);
    expect(transcript.take()).toEqual([]);
  });

  it('gives text alone as an assistant message with no calls', () => {
    const transcript = new TurnTranscript();
    transcript.addText('Hello');
    expect(transcript.take()).toEqual([{ role: 'assistant', content: 'Hello', toolCalls: [] }]);
  });

  it('answers a call the turn ended before with an error result', () => {
    const transcript = new TurnTranscript();
    transcript.addCall({ id: 'run', name: 'run_command', args: { command: 'npm test' } });
    expect(transcript.take()[1]).toEqual({
      role: 'tool',
      content: '',
      toolResults: [{ callId: 'run', name: 'run_command', output: UNANSWERED_CALL_ERROR, isError: true }],
    });
  });
});
