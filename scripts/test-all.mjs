// `npm test`: every check CI runs, in order, stopping at the first failure. Ends with one
// "N passed, N failed" line counting the vitest tests (unit and browser).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const results = path.resolve('test-results');
mkdirSync(results, { recursive: true });
let passed = 0;
let failed = 0;

function step(name, command, args) {
  console.log(`\n▶ ${name}`);
  const started = Date.now();
  const run = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  console.log(`${run.status === 0 ? '✔' : '✘'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return run.status === 0;
}

function vitest(name, configArgs, report) {
  const outputFile = path.join(results, report);
  const ok = step(name, 'npx', ['vitest', 'run', ...configArgs, '--reporter=default', '--reporter=json', `--outputFile=${outputFile}`]);
  try {
    const json = JSON.parse(readFileSync(outputFile, 'utf8'));
    passed += json.numPassedTests ?? 0;
    failed += json.numFailedTests ?? 0;
  } catch {
    if (!ok) failed += 1;
  }
  return ok;
}

const steps = [
  () => step('build (electron-vite, core import check)', 'npm', ['run', 'build']),
  () => step('typecheck', 'npm', ['run', 'typecheck']),
  () => step('lint', 'npm', ['run', 'lint']),
  () => vitest('unit and integration tests', [], 'unit.json'),
  () => vitest('browser tests (Chromium against serve mode)', ['--config', 'tests/browser/vitest.config.ts'], 'browser.json'),
  () => step('security scan (electronegativity)', 'npm', ['run', 'test:security']),
  () => step('MCP conformance (client suites)', 'npm', ['run', 'test:conformance']),
];

let ok = true;
for (const run of steps) {
  if (!run()) {
    ok = false;
    break;
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
