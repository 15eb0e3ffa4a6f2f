// For tests of writes racing a symlink on the host: a temp root with a folder root/d, an outside
// folder holding victim.txt, and a child process that keeps swapping root/d between a folder
// and a symlink to the outside folder. Registers its own set-up and clean-up per test.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';

export interface SymlinkRace {
  readonly root: string;
  readonly outside: string;
  /** Starts swapping root/d as fast as it can (stopped after the test). */
  startSwapper(): void;
}

const SWAPPER = `
  const fs = require('fs');
  const [d, target] = process.argv.slice(1);
  for (;;) {
    try { fs.rmSync(d, { recursive: true, force: true }); fs.mkdirSync(d); } catch {}
    try { fs.rmSync(d, { recursive: true, force: true }); fs.symlinkSync(target, d); } catch {}
  }`;

export function useSymlinkRace(prefix: string): SymlinkRace {
  let base = '';
  let swapper: ChildProcess | undefined;
  const race = {
    root: '',
    outside: '',
    startSwapper() {
      swapper = spawn(process.execPath, ['-e', SWAPPER, path.join(race.root, 'd'), race.outside], { stdio: 'ignore' });
    },
  };

  beforeEach(() => {
    base = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
    race.root = path.join(base, 'root');
    race.outside = path.join(base, 'outside');
    mkdirSync(path.join(race.root, 'd'), { recursive: true });
    mkdirSync(race.outside);
    writeFileSync(path.join(race.outside, 'victim.txt'), 'must survive');
  });

  afterEach(async () => {
    if (swapper && swapper.exitCode === null) {
      const exited = new Promise((resolve) => swapper!.once('exit', resolve));
      swapper.kill('SIGKILL');
      await exited;
    }
    swapper = undefined;
    rmSync(base, { recursive: true, force: true });
  });

  return race;
}
