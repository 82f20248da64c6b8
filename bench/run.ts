/**
 * Runs the benchmarks: `npm run bench` runs them all, `npm run bench -- store` picks some by name.
 * Flags: --rebuild (throw away cached datasets), --list (show the benchmarks).
 * Each writes bench/results/<name>.json and prints a table. The exit code is non-zero only if a benchmark
 * crashed; missed targets are recorded as "pass": false in the JSON.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { formatResult, writeResult } from './lib/report.js';
import type { BenchModule, BenchOptions } from './lib/types.js';

/** Every benchmark, by name. To add one, write bench/<name>.ts exporting `description` and `run()`, and list it here. */
const BENCHMARKS: Record<string, () => Promise<BenchModule>> = {
  store: () => import('./store.js'),
  stream: () => import('./stream.js'),
  ui: () => import('./ui.js'),
  startup: () => import('./startup.js'),
  'ui-render': () => import('./ui-render.js'),
  'steps-viewer': () => import('./steps-viewer.js'),
  trace: () => import('./trace.js'),
  search: () => import('./search.js'),
  'context-gauge': () => import('./context-gauge.js'),
  'context-tokens': () => import('./context-tokens.js'),
  vectors: () => import('./vectors.js'),
  'tree-layout': () => import('./tree-layout.js'),
  'tree-view': () => import('./tree-view.js'),
  'export-import': () => import('./export-import.js'),
  'import-chatgpt': () => import('./import-chatgpt.js'),
};

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const resultsDir = path.join(benchDir, 'results');

async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const names = argv.filter((a) => !a.startsWith('--'));
  const known = Object.keys(BENCHMARKS);

  for (const flag of flags) {
    if (!['--rebuild', '--list'].includes(flag)) {
      console.error(`Unknown option ${flag}. Options: --rebuild, --list.`);
      return 2;
    }
  }
  if (flags.has('--list')) {
    for (const name of known) console.log(`${name.padEnd(10)} ${(await BENCHMARKS[name]!()).description}`);
    return 0;
  }
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark ${unknown.join(', ')}. Available: ${known.join(', ')}.`);
    return 2;
  }

  const options: BenchOptions = { rebuild: flags.has('--rebuild') };
  let crashed = 0;
  for (const name of names.length > 0 ? names : known) {
    console.log(`\n=== ${name} ===`);
    const started = performance.now();
    try {
      const bench = await BENCHMARKS[name]!();
      const result = await bench.run(options);
      const file = await writeResult(resultsDir, result);
      console.log(`\n${formatResult(result)}`);
      console.log(`Results: ${path.relative(process.cwd(), file)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      crashed += 1;
      console.error(`\n${name} crashed:`, error);
    }
  }
  return crashed > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
