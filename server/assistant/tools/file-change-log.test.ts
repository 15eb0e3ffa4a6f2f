import { describe, expect, it } from 'vitest';
import { FileChangeLog } from './file-change-log';

describe('a turn’s file change log', () => {
  it('keeps one entry per path, from before the turn to now', () => {
    const log = new FileChangeLog();
    log.record('src/new.js', { exists: false }, { exists: true, text: 'a\nb\n' });
    log.record('src/new.js', { exists: true, text: 'a\nb\n' }, { exists: true, text: 'a\nb\nc\n' });
    log.record('src/App.jsx', { exists: true, text: 'one\ntwo\n' }, { exists: true, text: 'one\n2\n3\n' });
    log.record('old.txt', { exists: true, text: 'x\n' }, { exists: false });
    log.record('tmp.txt', { exists: false }, { exists: true, text: 'temp\n' });
    log.record('tmp.txt', { exists: true, text: 'temp\n' }, { exists: false });
    log.record('logo.png', { exists: true, text: null }, { exists: true, text: 'now text\n' });

    expect(log.changes()).toEqual([
      { path: 'src/new.js', change: 'created', linesBefore: null, linesAfter: 3, added: 3, removed: 0 },
      { path: 'src/App.jsx', change: 'modified', linesBefore: 2, linesAfter: 3, added: 2, removed: 1 },
      { path: 'old.txt', change: 'deleted', linesBefore: 1, linesAfter: null, added: 0, removed: 1 },
      { path: 'logo.png', change: 'modified', linesBefore: null, linesAfter: 1, added: 0, removed: 0 },
    ]);
  });
});
