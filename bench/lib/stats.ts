import { performance } from 'node:perf_hooks';
import type { LatencyStats, Target } from './types.js';

/** Percentiles (linear interpolation between closest ranks), mean, min and max of samples in ms, rounded to µs. */
export function summarize(samples: readonly number[]): LatencyStats {
  if (samples.length === 0) return { iterations: 0, p50: 0, p95: 0, p99: 0, mean: 0, min: 0, max: 0 };
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number): number => {
    const pos = (sorted.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
  };
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    iterations: sorted.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    mean: round(sum / sorted.length),
    min: round(sorted[0]!),
    max: round(sorted[sorted.length - 1]!),
  };
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export interface SampleOptions {
  warmup?: number;
  iterations?: number;
  /** Stop early (after at least `minIterations`) once the timed loop has run this long, so slow operations stay bounded. */
  maxSeconds?: number;
  /** Likewise for the warm-up (at least one call). */
  maxWarmupSeconds?: number;
  minIterations?: number;
}

/**
 * Times `fn` sequentially: `warmup` untimed calls, then up to `iterations` timed ones. `fn` gets the iteration
 * number so it can rotate through inputs.
 */
export async function sample(fn: (i: number) => Promise<unknown>, options: SampleOptions = {}): Promise<LatencyStats> {
  const { warmup = 20, iterations = 200, maxSeconds = 15, minIterations = 20, maxWarmupSeconds = 3 } = options;
  const warming = performance.now();
  for (let i = 0; i < warmup; i++) {
    await fn(i);
    if (performance.now() - warming > maxWarmupSeconds * 1000) break;
  }
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
    if (i + 1 >= minIterations && performance.now() - started > maxSeconds * 1000) break;
  }
  return summarize(samples);
}

/** Times one call of `fn`, adding the duration to `into`. */
export async function timed<T>(into: number[], fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    into.push(performance.now() - t0);
  }
}

export function target(stats: LatencyStats, maxMs: number, stat: Target['stat'] = 'p95'): Target {
  return { stat, maxMs, pass: stats[stat] < maxMs };
}
