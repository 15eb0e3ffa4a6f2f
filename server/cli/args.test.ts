import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from './args';

describe('parseCli', () => {
  it('reads each command with its options', () => {
    expect(parseCli(['login', 'https://b.example', '--token', 'berth_pat_x'])).toEqual({
      kind: 'login',
      url: 'https://b.example',
      token: 'berth_pat_x',
    });
    expect(parseCli(['login', 'b.example'])).toEqual({ kind: 'login', url: 'b.example', token: undefined });
    expect(parseCli(['projects'])).toEqual({ kind: 'projects', url: undefined });
    expect(parseCli(['clone', 'my app', 'dir'])).toEqual({
      kind: 'clone',
      project: 'my app',
      dir: 'dir',
      url: undefined,
      mode: undefined,
      onConflict: undefined,
    });
    expect(parseCli(['clone', 'app', '.', '--mode', 'both', '--on-conflict', 'remote'])).toMatchObject({
      kind: 'clone',
      dir: '.',
      mode: 'both',
      onConflict: 'remote',
    });
    expect(parseCli(['sync'])).toEqual({ kind: 'sync', dir: undefined, mode: 'both', onConflict: 'ask' });
    expect(parseCli(['sync', 'x', '--mode', 'up', '--on-conflict', 'merge'])).toEqual({
      kind: 'sync',
      dir: 'x',
      mode: 'upload',
      onConflict: 'merge',
    });
    expect(parseCli(['sync', '--mode=down'])).toMatchObject({ mode: 'download' });
    expect(parseCli(['watch', '--on-conflict', 'local'])).toEqual({
      kind: 'watch',
      dir: undefined,
      onConflict: 'local',
    });
    expect(parseCli(['status', 'd'])).toEqual({ kind: 'status', dir: 'd' });
  });

  it('reads berth undo: a folder, a backup id, or both, and --list', () => {
    const id = '2026-12-06T20-52-00-123Z';
    expect(parseCli(['undo'])).toEqual({ kind: 'undo', dir: undefined, list: false, backupId: undefined });
    expect(parseCli(['undo', 'app'])).toEqual({ kind: 'undo', dir: 'app', list: false, backupId: undefined });
    expect(parseCli(['undo', id])).toEqual({ kind: 'undo', dir: undefined, list: false, backupId: id });
    expect(parseCli(['undo', 'app', `${id}-2`])).toEqual({
      kind: 'undo',
      dir: 'app',
      list: false,
      backupId: `${id}-2`,
    });
    expect(parseCli(['undo', '--list', 'app'])).toEqual({ kind: 'undo', dir: 'app', list: true, backupId: undefined });
    for (const argv of [
      ['undo', 'app', 'not-an-id'],
      ['undo', '--list', id],
      ['undo', 'a', id, 'c'],
      ['undo', '--mode', 'up'],
    ])
      expect(() => parseCli(argv), argv.join(' ')).toThrow(UsageError);
  });

  it('answers --help, help and no command with the help', () => {
    expect(parseCli([])).toEqual({ kind: 'help', topic: undefined });
    expect(parseCli(['--help'])).toEqual({ kind: 'help', topic: undefined });
    expect(parseCli(['sync', '-h'])).toMatchObject({ kind: 'help' });
    expect(parseCli(['help', 'sync'])).toEqual({ kind: 'help', topic: 'sync' });
  });

  it('refuses what it does not know, with a usage error', () => {
    for (const argv of [
      ['frobnicate'],
      ['sync', '--mode', 'sideways'],
      ['sync', '--on-conflict', 'coin'],
      ['sync', '--token', 'x'],
      ['login'],
      ['login', 'u', '--token', ' '],
      ['clone'],
      ['status', 'a', 'b'],
      ['sync', '--nope'],
    ])
      expect(() => parseCli(argv), argv.join(' ')).toThrow(UsageError);
  });
});
