// Runs Doyensec's Electronegativity over the Electron sources and fails on any HIGH finding. The tool exits 0
// whatever it finds, so its results are read instead (and its SARIF report kept under test-results/). Its CLI breaks on the project's newer `commander`,
// so its runner is called directly; its translation download is replaced by the bundled English texts so the
// scan never reaches the network.
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const toolDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
const got = require.resolve('got', { paths: [toolDir] });
require.cache[got] = { id: got, filename: got, loaded: true, exports: () => Promise.reject(new Error('offline')) };
const run = require(path.join(toolDir, 'dist', 'runner.js'));

// What ships and decides the app's security: the shell, the preload and the page with its CSP.
const scanned = ['electron/main', 'electron/preload', 'renderer/index.html', 'package.json'];
const electronVersion = JSON.parse(await readFile(require.resolve('electron/package.json'), 'utf8')).version;

const work = await mkdtemp(path.join(tmpdir(), 'electronegativity-'));
const input = path.join(work, 'app');
for (const item of scanned) await cp(item, path.join(input, item), { recursive: true });

const report = path.resolve('test-results', 'electronegativity.sarif');
await mkdir(path.dirname(report), { recursive: true });
try {
  const result = await run({
    input,
    output: report,
    isSarif: true,
    customScan: [],
    excludeFromScan: [],
    severitySet: undefined,
    confidenceSet: undefined,
    isRelative: true,
    isVerbose: false,
    electronUpgrade: undefined,
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  });
  // The SARIF report marks findings only as note/warning; the severities come with the runner's own results.
  const issues = result.issues;
  for (const issue of issues) {
    console.log(
      `${issue.severity.name.padEnd(13)} ${issue.confidence.name.padEnd(9)} ${issue.id} ${issue.file}:${issue.location.line} ${issue.manualReview ? '(review)' : ''}`,
    );
  }
  const high = issues.filter((issue) => issue.severity.name === 'HIGH');
  const sarif = await readSarif(report);
  const sarifCount = (sarif.runs ?? []).reduce((n, r) => n + (r.results ?? []).length, 0);
  if (sarifCount !== issues.length) throw new Error(`SARIF report has ${sarifCount} results but the scan found ${issues.length}.`);
  console.log(
    `electronegativity (Electron ${electronVersion}): ${issues.length} findings, ${high.length} HIGH; SARIF at ${path.relative(process.cwd(), report)}`,
  );
  if (high.length > 0) process.exitCode = 1;
} finally {
  await rm(work, { recursive: true, force: true });
}

/** The runner writes its report without waiting for the write to finish; read it once it is whole. */
async function readSarif(file) {
  for (let attempt = 0; ; attempt++) {
    try {
      return JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      if (attempt >= 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
