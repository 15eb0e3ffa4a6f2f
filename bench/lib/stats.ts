// Summary statistics over timing samples (milliseconds). Nearest-rank percentiles:
// with 200 samples p99 is the 198th fastest, so one outlier does not move it.
import os from 'node:os';

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of already sorted samples; `p` in (0, 100]. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no samples');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((total, x) => total + x, 0);
  return {
    n: sorted.length,
    min: sorted[0]!,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1]!,
    mean: sum / sorted.length,
  };
}

/** Rounds every number in a summary, for JSON output. */
export function rounded(summary: Summary, digits = 2): Summary {
  const f = 10 ** digits;
  const r = (x: number) => Math.round(x * f) / f;
  return {
    n: summary.n,
    min: r(summary.min),
    p50: r(summary.p50),
    p95: r(summary.p95),
    p99: r(summary.p99),
    max: r(summary.max),
    mean: r(summary.mean),
  };
}

export const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) + ' ms';
export const seconds = (x: number): string => (x / 1000).toFixed(3) + ' s';

/** Runs `fn` `warmup` times untimed, then `count` times timed, strictly one after another. */
export async function timeSequential(count: number, warmup: number, fn: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** Runs `fn` once; resolves with its value and how long it took (ms). */
export function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  return fn().then((value) => ({ value, ms: performance.now() - started }));
}

/** The load average (1, 5, 15 min), to print beside figures: the machine is shared (2 cores). */
export const loadAverage = (): string =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
