import { describe, expect, it } from 'vitest';
import type { MessageDto } from '../../contracts';
import { fitHistory } from './context-window';
import { undoneTurnsNote, UNDONE_TURNS_MAX } from './undone-turns';

const user = (turnId: string, content: string): MessageDto => ({
  id: `m-${turnId}`,
  seq: 0,
  role: 'user',
  content,
  toolCalls: [],
  toolResults: [],
  attachments: [],
  turnId,
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('undoneTurnsNote', () => {
  it('lists the turns the user undid with their request and files, and nothing when none was', () => {
    const history = [user('t1', 'Make it\n  dark'), user('t2', 'Add a button')];
    const turns = [
      {
        id: 't1',
        changedFiles: [{ path: 'src/App.css', change: 'modified' as const }],
        undoneAt: '2026-01-01T00:01:00Z',
      },
      { id: 't2', changedFiles: [{ path: 'src/Button.jsx', change: 'created' as const }], undoneAt: null },
    ];
    expect(undoneTurnsNote(history, turns).split('\n')).toEqual([
      expect.stringMatching(/^The user undid these turns of yours: their file changes were put back/),
      '- "Make it dark" → put back: src/App.css',
    ]);
    expect(undoneTurnsNote(history, [turns[1]!])).toBe('');
  });

  it(`keeps the newest ${UNDONE_TURNS_MAX}`, () => {
    const turns = Array.from({ length: UNDONE_TURNS_MAX + 2 }, (_, i) => ({
      id: `t${i}`,
      changedFiles: [],
      undoneAt: '2026-01-01T00:00:00Z',
    }));
    const lines = undoneTurnsNote([], turns).split('\n');
    expect(lines).toHaveLength(UNDONE_TURNS_MAX + 1);
    expect(lines[1]).toBe('- "(request not kept)" → put back: no files');
  });

  it('marks an undone turn in the summary of the turns left out', () => {
    const { summary } = fitHistory({
      history: [user('t1', 'Make it dark')],
      turns: [{ id: 't1', changedFiles: [{ path: 'a.css', change: 'modified' }], undoneAt: '2026-01-01T00:00:00Z' }],
      budgetTokens: 0,
    });
    expect(summary).toContain('- The user asked: "Make it dark" → changed a.css (modified) (undone by the user)');
  });
});
