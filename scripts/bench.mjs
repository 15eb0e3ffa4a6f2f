// `npm run bench [name…]`: runs every bench/*.bench.ts (or those whose file name contains
// one of the given words), one after another, each in its own tsx process. Each prints its
// figures and writes them to bench/results/latest.json. A figure that misses its goal is
// printed as MISS, not failed: this exits non-zero only when a bench crashed.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { bin, root, say } from './lib.mjs';

const benchDir = path.join(root, 'bench');
const all = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts'))
  .sort();
const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const selected = filters.length ? all.filter((file) => filters.some((word) => file.includes(word))) : all;

if (selected.length === 0) {
  console.error(
    `No bench matches ${filters.join(', ')}. Available: ${all.map((f) => f.replace(/\.bench\.ts$/, '')).join(', ')}`,
  );
  process.exit(2);
}

let current;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    // The bench cleans up (servers, PostgreSQL, temp folders) on the signal, then exits.
    if (current && current.exitCode === null) current.kill(signal);
    else process.exit(130);
  });
}

function runOne(file) {
  return new Promise((resolve) => {
    current = spawn(bin('tsx'), [path.join('bench', file)], { cwd: root, stdio: 'inherit', env: process.env });
    current.on('error', (error) => {
      console.error(`could not start ${file}: ${error.message}`);
      resolve(1);
    });
    current.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const crashed = [];
for (const file of selected) {
  say(`bench ${file}`);
  const started = performance.now();
  const code = await runOne(file);
  const took = ((performance.now() - started) / 1000).toFixed(1);
  if (code === 130) process.exit(130);
  if (code !== 0) crashed.push(file);
  say(`bench ${file} ${code === 0 ? 'done' : `CRASHED (exit ${code})`} in ${took} s`);
}

if (crashed.length) {
  console.error(`\n${crashed.length} bench(es) crashed: ${crashed.join(', ')}`);
  process.exit(1);
}
say(
  `figures: ${path.relative(process.cwd(), path.join(benchDir, 'results', 'latest.json')) || 'bench/results/latest.json'}`,
);
