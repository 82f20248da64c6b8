// Fails the build if anything under electron/core (or shared/) imports `electron`: core must run in plain Node
// (serve mode, the CLI, tests) as well as inside the Electron main process.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const roots = process.argv.length > 2 ? process.argv.slice(2) : ['electron/core', 'shared'];
const pattern = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"](electron|electron\/[^'"]*)['"]/;
const offenders = [];

async function walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(full);
    else if (/\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name)) {
      const lines = (await readFile(full, 'utf8')).split('\n');
      lines.forEach((line, i) => {
        if (pattern.test(line)) offenders.push(`${full}:${i + 1}: ${line.trim()}`);
      });
    }
  }
}

for (const root of roots) await walk(root);
if (offenders.length > 0) {
  console.error('electron/core and shared must not import electron:\n' + offenders.join('\n'));
  process.exit(1);
}
console.log(`check-core-imports: no electron imports under ${roots.join(', ')}`);
