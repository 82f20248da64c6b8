/** What every benchmark module (bench/<name>.ts) exports, and what it hands back to bench/run.ts. */

export interface BenchOptions {
  /** Throw away cached datasets and build them again. */
  rebuild: boolean;
}

export interface BenchModule {
  /** Short description printed by `npm run bench -- --list`. */
  description: string;
  run(options?: BenchOptions): Promise<BenchResult>;
}

/** Latency percentiles over the timed iterations, in milliseconds. */
export interface LatencyStats {
  iterations: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

export interface Target {
  /** The statistic compared against the target (p95 unless said otherwise). */
  stat: 'p50' | 'p95' | 'p99' | 'mean' | 'max';
  maxMs: number;
  pass: boolean;
}

/** One timed operation. */
export interface Measure {
  id: string;
  label: string;
  ms: LatencyStats;
  target: Target | null;
  /** Anything worth keeping next to the numbers (query text, match count, page depth...). */
  info?: Record<string, string | number | boolean | null>;
}

/** One throughput run (e.g. N concurrent streams writing as fast as they can). */
export interface Throughput {
  id: string;
  label: string;
  seconds: number;
  /** Operations per second, by operation name (inserts, progress saves...). */
  perSecond: Record<string, number>;
  /** Latency of each operation during the run, queueing behind other writers included. */
  latency: Record<string, LatencyStats>;
  info?: Record<string, string | number | boolean | null>;
}

/** A yes/no property of a run (nothing lost, text saved as streamed...), counted in the summary like a target. */
export interface Check {
  id: string;
  label: string;
  pass: boolean;
  /** What was seen, in a few words ("4000/4000 chunks, 0 duplicates, 0 out of order"). */
  detail: string;
}

export interface MachineInfo {
  node: string;
  platform: string;
  arch: string;
  osRelease: string;
  cpus: { count: number; model: string };
  totalMemoryGb: number;
}

export interface BenchResult {
  benchmark: string;
  generatedAt: string;
  gitCommit: string | null;
  machine: MachineInfo;
  dataset: Record<string, unknown>;
  measures: Measure[];
  throughput: Throughput[];
  /** Absent from benchmarks that have none. */
  checks?: Check[];
  /** Targets and checks together. */
  summary: { targets: number; passed: number; failed: number };
}
