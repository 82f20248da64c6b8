// `npm test`: every check CI runs, each as its own package.json script (`npm run build`, `npm run test:unit`…), in
// order, stopping at the first failure. Ends with one "N passed, N failed" line counting the vitest tests (unit and browser).
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

/** Runs one script of package.json, as `npm run <script>` (the README names each one). */
function npmScript(script, name, extraArgs = []) {
  return step(name, 'npm', ['run', script, ...(extraArgs.length > 0 ? ['--', ...extraArgs] : [])]);
}

function vitest(script, name, report) {
  const outputFile = path.join(results, report);
  const ok = npmScript(script, name, ['--reporter=default', '--reporter=json', `--outputFile=${outputFile}`]);
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
  () => npmScript('build', 'build (electron-vite, core import check)'),
  () => npmScript('typecheck', 'typecheck'),
  () => npmScript('lint', 'lint'),
  () => vitest('test:unit', 'unit and integration tests', 'unit.json'),
  () => vitest('test:browser', 'browser tests (Chromium against serve mode)', 'browser.json'),
  () => npmScript('test:security', 'security scan (electronegativity)'),
  () => npmScript('test:conformance', 'MCP conformance (client suites)'),
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
