// The folder side of the sync bench (issue 18): the bundled `berth` command (dist/berth-cli.mjs,
// the file GET /cli serves) run as a child process with a HOME of its own, a generated project
// written into a local folder, a change of N files, and the baseline: `rsync -a` between two
// local folders of the same tree and the same change.
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Defer } from './cleanup';
import { GEN_FILE_BYTES, GEN_FILES, GEN_RANDOM_EVERY, GENERATOR, genPath } from './snapshot-project';
import { root, tempDir } from './repo';

export const CLI = path.join(root, 'dist', 'berth-cli.mjs');

export interface Cli {
  home: string;
  /** Runs `berth <args>`; resolves with its output and wall time, rejects on a non-zero exit. */
  run(
    args: string[],
    options?: { cwd?: string; allowExit?: number[] },
  ): Promise<{ ms: number; out: string; code: number }>;
}

export function makeCli(defer: Defer): Cli {
  const home = tempDir('berth-bench-cli-home-', defer);
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') };
  return {
    home,
    run: (args, options = {}) =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        execFile(
          process.execPath,
          [CLI, ...args],
          { cwd: options.cwd ?? home, env, maxBuffer: 16 * 1024 * 1024 },
          (error, stdout, stderr) => {
            const ms = performance.now() - started;
            const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
            if (code !== 0 && !(options.allowExit ?? []).includes(code))
              reject(new Error(`berth ${args.join(' ')} exited ${code}: ${(stderr || stdout).slice(-500)}`));
            else resolve({ ms, out: stdout + stderr, code });
          },
        );
      }),
  };
}

/** The bench's generated tree (1,000 files, 10 MiB, every tenth random) written under `dir`/gen. */
export function generateInto(dir: string, seed: number): void {
  const script = path.join(dir, '..', `gen-${seed}.cjs`);
  writeFileSync(script, GENERATOR);
  const made = spawnSync(
    process.execPath,
    [script, String(GEN_FILES), String(GEN_FILE_BYTES), String(GEN_RANDOM_EVERY), String(seed)],
    { cwd: dir, encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`generating the tree failed: ${made.stderr}`);
}

/**
 * Rewrites `count` text files of the tree (a new first line, same size), a different set each
 * round; returns their paths and the sum of their gzip-compressed sizes (the bytes a sync must
 * move at least, give or take).
 */
export function changeFiles(dir: string, round: number, count: number): { paths: string[]; compressed: number } {
  const paths: string[] = [];
  let compressed = 0;
  for (let k = 0; paths.length < count; k += 1) {
    const index = (round * 97 + k * 13) % GEN_FILES;
    const relative = genPath(index);
    if (relative.endsWith('.bin') || paths.includes(relative)) continue;
    const file = path.join(dir, relative);
    const old = readFileSync(file);
    const stamp = Buffer.from(`// round ${round} change ${k} ${Date.now()}\n`);
    const next = Buffer.concat([stamp, old.subarray(stamp.length)]);
    writeFileSync(file, next);
    compressed += gzipSync(next).length;
    paths.push(relative);
  }
  return { paths, compressed };
}

/** Applies the same change to a plain copy (the rsync source): the listed files copied over. */
export function copyFiles(from: string, to: string, paths: readonly string[]): void {
  for (const relative of paths) {
    mkdirSync(path.dirname(path.join(to, relative)), { recursive: true });
    cpSync(path.join(from, relative), path.join(to, relative));
  }
}

/** `rsync -a from/ to/` (the .berth state left out); its wall time. */
export function rsync(from: string, to: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile('rsync', ['-a', '--exclude=.berth', `${from}/`, `${to}/`], (error, _out, stderr) => {
      if (error) reject(new Error(`rsync failed: ${stderr}`));
      else resolve(performance.now() - started);
    });
  });
}

/** rsync is the baseline: installed here (root, Debian) when missing. */
export function ensureRsync(): void {
  if (spawnSync('rsync', ['--version']).status === 0) return;
  console.log('── sync: installing rsync (the baseline) with apt-get');
  const apt = spawnSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq rsync'], { stdio: 'inherit' });
  if (apt.status !== 0) throw new Error('rsync is not installed and apt-get could not install it');
}
