import { describe, expect, it } from 'vitest';
import { GitProgressParser, parseProgressLine, withoutProgress, withoutUrlUserInfo } from './git-progress';

// git's own stderr of `git push --progress` (git 2.39), as it streams.
const PUSH =
  'Enumerating objects: 32, done.\n' +
  'Counting objects:   3% (1/32)\rCounting objects:  50% (16/32)\rCounting objects: 100% (32/32)\rCounting objects: 100% (32/32), done.\n' +
  'Delta compression using up to 2 threads\n' +
  'Compressing objects:  50% (16/32)\rCompressing objects: 100% (32/32), done.\n' +
  'Writing objects:  25% (8/32)\rWriting objects: 100% (32/32), 603.24 KiB | 5.69 MiB/s, done.\n' +
  'Total 32 (delta 0), reused 0 (delta 0), pack-reused 0\n' +
  'remote: Resolving deltas:  50% (1/2)        \rremote: Resolving deltas: 100% (2/2), done.        \n' +
  'remote: Create a pull request for main on GitHub by visiting:        \n' +
  'To http://10.0.0.5:4000/alice.git\n' +
  ' * [new branch]      main -> main\n';

describe('parseProgressLine', () => {
  it('reads the phase and percent of a counted step', () => {
    expect(parseProgressLine('Writing objects:  45% (9/20), 1.20 MiB | 2.00 MiB/s')).toEqual({
      phase: 'Writing objects',
      percent: 45,
      text: 'Writing objects:  45% (9/20), 1.20 MiB | 2.00 MiB/s',
    });
  });

  it('reads a step without a total, with no percent', () => {
    expect(parseProgressLine('Enumerating objects: 32, done.')).toEqual({
      phase: 'Enumerating objects',
      text: 'Enumerating objects: 32, done.',
    });
  });

  it("reads the remote's relayed progress, padding and terminal codes removed", () => {
    expect(parseProgressLine('remote: Counting objects:   7% (3/40)        \x1b[K')).toEqual({
      phase: 'Counting objects',
      percent: 7,
      text: 'remote: Counting objects:   7% (3/40)',
    });
  });

  it('is null for what is not progress', () => {
    for (const line of [
      'To https://github.com/a/b.git',
      ' * [new branch]      main -> main',
      'remote: Create a pull request for main on GitHub by visiting:',
      'error: failed to push some refs to https://github.com/a/b.git',
      'fatal: Authentication failed for https://github.com/a/b.git/',
      'Everything up-to-date',
      '',
    ])
      expect(parseProgressLine(line)).toBeNull();
  });
});

describe('withoutUrlUserInfo', () => {
  it('strips a user and token from any URL, and leaves others alone', () => {
    expect(withoutUrlUserInfo('From https://alice:ghp_secret123@github.com/a/b, and http://x@h:8080/r')).toBe(
      'From https://github.com/a/b, and http://h:8080/r',
    );
    expect(withoutUrlUserInfo('To https://github.com/a/b.git')).toBe('To https://github.com/a/b.git');
  });

  it('applies to progress text', () => {
    expect(parseProgressLine('Receiving objects:  10% (1/10) https://u:tok@h/x')?.text).toBe(
      'Receiving objects:  10% (1/10) https://h/x',
    );
  });
});

describe('GitProgressParser', () => {
  it('gives each \\r- or \\n-terminated update of a stream, in order', () => {
    const updates = new GitProgressParser().feed(PUSH);
    expect(updates.map((update) => [update.phase, update.percent])).toEqual([
      ['Enumerating objects', undefined],
      ['Counting objects', 3],
      ['Counting objects', 50],
      ['Counting objects', 100],
      ['Counting objects', 100],
      ['Compressing objects', 50],
      ['Compressing objects', 100],
      ['Writing objects', 25],
      ['Writing objects', 100],
      ['Resolving deltas', 50],
      ['Resolving deltas', 100],
    ]);
  });

  it('holds a piece cut by a chunk until its end comes, whatever the chunk sizes', () => {
    const whole = new GitProgressParser().feed(PUSH);
    for (const size of [1, 3, 7, 64]) {
      const parser = new GitProgressParser();
      const updates = [];
      for (let at = 0; at < PUSH.length; at += size) updates.push(...parser.feed(PUSH.slice(at, at + size)));
      updates.push(...parser.end());
      expect(updates).toEqual(whole);
    }
  });

  it('gives an unterminated last piece when the output ends', () => {
    const parser = new GitProgressParser();
    expect(parser.feed('Receiving objects:  12% (3/25)\rReceiving objects:  40% (10/25)')).toEqual([
      { phase: 'Receiving objects', percent: 12, text: 'Receiving objects:  12% (3/25)' },
    ]);
    expect(parser.end()).toEqual([
      { phase: 'Receiving objects', percent: 40, text: 'Receiving objects:  40% (10/25)' },
    ]);
    expect(parser.end()).toEqual([]);
  });
});

describe('withoutProgress', () => {
  it("leaves what git says without --progress: the remote's messages, the ref lines", () => {
    expect(withoutProgress(PUSH)).toBe(
      'remote: Create a pull request for main on GitHub by visiting:        \n' +
        'To http://10.0.0.5:4000/alice.git\n' +
        ' * [new branch]      main -> main\n',
    );
  });

  it('keeps an error as it is', () => {
    const refusal =
      'Writing objects: 100% (3/3), done.\n' +
      'To http://h/r.git\n ! [rejected]        main -> main (fetch first)\n' +
      "error: failed to push some refs to 'http://h/r.git'\n";
    expect(withoutProgress(refusal)).toBe(
      "To http://h/r.git\n ! [rejected]        main -> main (fetch first)\nerror: failed to push some refs to 'http://h/r.git'\n",
    );
  });
});
