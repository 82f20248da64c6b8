import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StdioServerConfig } from './mcp-connection.js';

export const BUILTIN_SERVER_ID = 'coda';

/**
 * The tool server's own heap, bounded: the model's arguments decide what its solvers allocate, and a runaway one
 * must end that process, not take the machine's memory. Math expressions have a smaller worker of their own.
 */
const BUILTIN_HEAP_LIMIT = '--max-old-space-size=512';

/**
 * How to start the bundled tool server: the built bundle next to this module (the app, `npm run build`), or the
 * TypeScript source through tsx when running from source (tests, `npm run coda`). Electron's binary runs it as
 * plain Node with ELECTRON_RUN_AS_NODE.
 */
export function builtinServerConfig(here = path.dirname(fileURLToPath(import.meta.url))): StdioServerConfig {
  const env = { ELECTRON_RUN_AS_NODE: '1' };
  for (const candidate of [path.join(here, 'coda-tools.js'), path.join(here, '..', 'coda-tools.js')]) {
    if (existsSync(candidate)) return { id: BUILTIN_SERVER_ID, label: 'Coda tools', command: process.execPath, args: [BUILTIN_HEAP_LIMIT, candidate], env };
  }
  const source = path.join(here, 'builtin', 'main.ts');
  return { id: BUILTIN_SERVER_ID, label: 'Coda tools', command: process.execPath, args: [BUILTIN_HEAP_LIMIT, '--import', 'tsx', source], env };
}

