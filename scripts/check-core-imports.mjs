// Fails the build if anything under electron/core (or shared/) imports `electron`: core must run in plain Node
// (serve mode, the CLI, tests) as well as inside the Electron main process. Fails it too on an import cycle among
// those modules (type-only imports included): a cycle means two modules that cannot be understood, tested or moved
// apart, and at run time one of them sees the other half-initialised.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const roots = process.argv.length > 2 ? process.argv.slice(2) : ['electron/core', 'shared'];
const pattern = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"](electron|electron\/[^'"]*)['"]/;
/** Relative imports and re-exports, static or dynamic, over any number of lines. */
const relative = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
const offenders = [];
/** Each TypeScript module's relative imports, by absolute path. */
const graph = new Map();

async function walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(full);
    else if (/\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name)) {
      const text = await readFile(full, 'utf8');
      text.split('\n').forEach((line, i) => {
        if (pattern.test(line)) offenders.push(`${full}:${i + 1}: ${line.trim()}`);
      });
      if (/\.tsx?$/.test(entry.name))
        graph.set(
          path.resolve(full),
          [...text.matchAll(relative)].map((m) => path.resolve(dir, m[1])),
        );
    }
  }
}

/** `./x.js` names the TypeScript module `./x.ts` (or `./x.tsx`, or a folder's index). */
function resolveModule(target) {
  const stem = target.replace(/\.(js|mjs|cjs)$/, '');
  return [`${stem}.ts`, `${stem}.tsx`, path.join(target, 'index.ts'), target].find((candidate) => graph.has(candidate));
}

/** Every cycle, each reported once, as the chain of files that closes it. */
function findCycles() {
  const cycles = [];
  const state = new Map(); // 1: on the current path, 2: done
  const stack = [];
  const visit = (file) => {
    state.set(file, 1);
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      const next = resolveModule(target);
      if (!next) continue;
      if (state.get(next) === 1) cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 2);
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

for (const root of roots) await walk(root);
if (offenders.length > 0) {
  console.error('electron/core and shared must not import electron:\n' + offenders.join('\n'));
  process.exit(1);
}
const cycles = findCycles();
if (cycles.length > 0) {
  const shown = cycles.map((cycle) => '  ' + cycle.map((file) => path.relative(process.cwd(), file)).join(' > '));
  console.error(`Import cycles under ${roots.join(', ')} (move what both sides need into a module of its own):\n${shown.join('\n')}`);
  process.exit(1);
}
console.log(`check-core-imports: no electron imports and no import cycles under ${roots.join(', ')}`);
