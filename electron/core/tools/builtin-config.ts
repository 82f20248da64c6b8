import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StdioServerConfig } from './sources/source.js';

export const BUILTIN_SERVER_ID = 'coda';

/**
 * How to start the bundled tool server: the built bundle next to this module (the app, `npm run build`), or the
 * TypeScript source through tsx when running from source (tests, `npm run coda`). Electron's binary runs it as
 * plain Node with ELECTRON_RUN_AS_NODE.
 */
export function builtinServerConfig(here = path.dirname(fileURLToPath(import.meta.url))): StdioServerConfig {
  const env = { ELECTRON_RUN_AS_NODE: '1' };
  for (const candidate of [path.join(here, 'coda-tools.js'), path.join(here, '..', 'coda-tools.js')]) {
    if (existsSync(candidate)) return { id: BUILTIN_SERVER_ID, label: 'Coda tools', command: process.execPath, args: [candidate], env };
  }
  const source = path.join(here, 'builtin', 'main.ts');
  return { id: BUILTIN_SERVER_ID, label: 'Coda tools', command: process.execPath, args: ['--import', 'tsx', source], env };
}
