// Writes figures to bench/results/latest.json. Each bench owns one section and replaces
// only that one, so running a single bench keeps the others' last figures.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './repo';

export const resultsFile = path.join(root, 'bench', 'results', 'latest.json');

export function writeSection(name: string, figures: unknown): void {
  let all: Record<string, unknown> = {};
  if (existsSync(resultsFile)) {
    try {
      all = JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>;
    } catch {
      all = {};
    }
  }
  const section = {
    measuredAt: new Date().toISOString(),
    machine: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
    },
    figures,
  };
  all = { ...all, [name]: section };
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  const tmp = `${resultsFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(all, null, 2) + '\n');
  renameSync(tmp, resultsFile);
  console.log(`figures written to ${path.relative(root, resultsFile)} (section "${name}")`);
}

/** Another bench's last section (its figures and when they were measured), if there is one. */
export function readSection<T>(name: string): { measuredAt: string; figures: T } | undefined {
  try {
    const all = JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, { measuredAt: string; figures: T }>;
    return all[name];
  } catch {
    return undefined;
  }
}
