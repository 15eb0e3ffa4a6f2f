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
