import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LaunchedServer, StdioServerConfig } from './sources/source.js';

export const BUILTIN_SERVER_ID = 'coda';

/** What a host needs to start the built-in server its own way: the script, Node's flags for it, its environment. */
export interface BuiltinLaunch {
  script: string;
  execArgv: string[];
  env: Record<string, string>;
}

/**
 * How a host other than plain Node starts the built-in server: the desktop app forks an Electron utility process
 * (electron/main/builtin-tools.ts), so the app's binary never has to run as Node (the RunAsNode fuse stays off).
 */
export type BuiltinServerLauncher = (launch: BuiltinLaunch) => LaunchedServer;

/**
 * The tool server's own heap, bounded: the model's arguments decide what its solvers allocate, and a runaway one
 * must end that process, not take the machine's memory. Math expressions have a smaller worker of their own.
 */
const BUILTIN_HEAP_LIMIT = '--max-old-space-size=512';

/**
 * How to start the bundled tool server: the built bundle next to this module (the app, `npm run build`), or the
 * TypeScript source through tsx when running from source (tests, `npm run coda`). As a child process over stdio
 * (serve mode, the CLI, tests), or through `launcher` when the host has its own way (the desktop app).
 */
export function builtinServerConfig(launcher?: BuiltinServerLauncher, here = path.dirname(fileURLToPath(import.meta.url))): StdioServerConfig {
  const { script, execArgv } = builtinEntry(here);
  const config: StdioServerConfig = { id: BUILTIN_SERVER_ID, label: 'Coda tools', command: process.execPath, args: [...execArgv, script] };
  // The environment comes from the source at launch: importing the MCP SDK here would load it with core, for every
  // command, even those that never start a tool server.
  if (launcher) return { ...config, launch: (env) => launcher({ script, execArgv, env }) };
  // Inside Electron, process.execPath is the app itself: spawning it would start a second app, not a tool server.
  if (process.versions['electron']) throw new Error('Inside Electron the built-in tool server needs a launcher (a utility process).');
  return config;
}

function builtinEntry(here: string): { script: string; execArgv: string[] } {
  for (const candidate of [path.join(here, 'coda-tools.js'), path.join(here, '..', 'coda-tools.js')]) {
    if (existsSync(candidate)) return { script: candidate, execArgv: [BUILTIN_HEAP_LIMIT] };
  }
  return { script: path.join(here, 'builtin', 'main.ts'), execArgv: [BUILTIN_HEAP_LIMIT, '--import', 'tsx'] };
}
