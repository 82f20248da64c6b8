import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BenchResult, Check, LatencyStats, MachineInfo, Measure, Throughput } from './types.js';

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    osRelease: os.release(),
    cpus: { count: cpus.length, model: cpus[0]?.model.trim() ?? 'unknown' },
    totalMemoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
  };
}

/** The checked-out commit, if this is a git work tree (read only). */
export function gitCommit(cwd: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

export function summaryOf(measures: readonly Measure[], checks: readonly Check[] = []): BenchResult['summary'] {
  const outcomes = [...measures.flatMap((m) => (m.target ? [m.target.pass] : [])), ...checks.map((c) => c.pass)];
  const passed = outcomes.filter(Boolean).length;
  return { targets: outcomes.length, passed, failed: outcomes.length - passed };
}

/** Fills in what every result carries (time, commit, machine, summary) around a benchmark's own numbers. */
export function createResult(
  benchmark: string,
  rootDir: string,
  parts: { dataset: Record<string, unknown>; measures: Measure[]; throughput?: Throughput[]; checks?: Check[] },
): BenchResult {
  return {
    benchmark,
    generatedAt: new Date().toISOString(),
    gitCommit: gitCommit(rootDir),
    machine: machineInfo(),
    dataset: parts.dataset,
    measures: parts.measures,
    throughput: parts.throughput ?? [],
    ...(parts.checks ? { checks: parts.checks } : {}),
    summary: summaryOf(parts.measures, parts.checks),
  };
}

export async function writeResult(resultsDir: string, result: BenchResult): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${result.benchmark}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

function table(header: readonly string[], rows: readonly (readonly string[])[], rightAlignFrom = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i >= rightAlignFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatResult(result: BenchResult): string {
  const out: string[] = [];
  if (result.measures.length > 0) {
    out.push(
      table(
        ['measure', 'p50 ms', 'p95 ms', 'p99 ms', 'mean ms', 'n', 'target', 'result'],
        result.measures.map((m) => [
          m.label,
          ms(m.ms.p50),
          ms(m.ms.p95),
          ms(m.ms.p99),
          ms(m.ms.mean),
          String(m.ms.iterations),
          m.target ? `${m.target.stat}<${m.target.maxMs}` : '-',
          m.target ? (m.target.pass ? 'pass' : 'FAIL') : '',
        ]),
      ),
    );
  }
  if (result.throughput.length > 0) {
    out.push('');
    out.push(formatThroughput(result.throughput));
  }
  if (result.checks && result.checks.length > 0) {
    out.push('');
    out.push(
      table(
        ['check', 'result', 'detail'],
        result.checks.map((c) => [c.label, c.pass ? 'pass' : 'FAIL', c.detail]),
        3,
      ),
    );
  }
  const { targets, passed, failed } = result.summary;
  out.push(
    '',
    `${result.benchmark}: ${passed}/${targets} ${result.checks?.length ? 'targets and checks' : 'targets'} met${failed ? `, ${failed} missed` : ''}.`,
  );
  return out.join('\n');
}

function formatThroughput(runs: readonly Throughput[]): string {
  const rates = [...new Set(runs.flatMap((r) => Object.keys(r.perSecond)))];
  const ops = [...new Set(runs.flatMap((r) => Object.keys(r.latency)))];
  const p = (s: LatencyStats | undefined) => (s ? `${ms(s.p50)}/${ms(s.p95)}/${ms(s.p99)}` : '-');
  const loop = (r: Throughput) => r.info?.['eventLoopDelayMaxMs'];
  const showLoop = runs.some((r) => typeof loop(r) === 'number');
  return table(
    ['throughput run', 'seconds', ...rates.map((r) => `${r}/s`), ...ops.map((o) => `${o} p50/p95/p99 ms`), ...(showLoop ? ['event-loop delay max ms'] : [])],
    runs.map((r) => [
      r.label,
      r.seconds.toFixed(2),
      ...rates.map((k) => (r.perSecond[k] === undefined ? '-' : Math.round(r.perSecond[k]).toLocaleString('en-US'))),
      ...ops.map((o) => p(r.latency[o])),
      ...(showLoop ? [typeof loop(r) === 'number' ? ms(loop(r) as number) : '-'] : []),
    ]),
  );
}
