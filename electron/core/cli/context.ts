import type { Core } from '../core.js';
import type { ServerConfig } from '../tools/mcp-connection.js';

export interface CliContext {
  /** `signIn: 'ui'` (serve mode) leaves OAuth sign-ins to Settings › Tools; commands print the address and wait. */
  openCore(extra?: { toolServers?: ServerConfig[]; prestartTools?: boolean; signIn?: 'terminal' | 'ui' }): Promise<Core>;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}
