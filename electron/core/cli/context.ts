import { InvalidArgumentError } from 'commander';
import type { Core } from '../core.js';
import type { ServerConfig } from '../tools/sources/source.js';

/** What every command gets from the program (main.ts builds it); a module of its own, so commands never import main. */
export interface CliContext {
  /** `signIn: 'ui'` (serve mode) leaves OAuth sign-ins to Settings › Tools; commands print the address and wait. */
  openCore(extra?: { toolServers?: ServerConfig[]; prestartTools?: boolean; signIn?: 'terminal' | 'ui' }): Promise<Core>;
  /** The data folder and the migrations this command works with, for commands that need no core (backup, restore). */
  locations(): Promise<{ dataDir: string; migrationsDir: string }>;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535.');
  return port;
}
