import { readFile } from 'node:fs/promises';
import { CodaError } from '../../../shared/index.js';
import { parseClaudeDesktopConfig } from '../tools/servers/claude-config.js';
import type { HttpServerConfig, StdioServerConfig } from '../tools/sources/source.js';

/** The servers of a Claude Desktop config file; passing the file on the command line is the user's consent to start them. */
export async function readMcpConfig(file: string): Promise<(StdioServerConfig | HttpServerConfig)[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CodaError('validation', `Cannot read the MCP config ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseClaudeDesktopConfig(text).map((server) => {
    const id =
      server.label
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_+|_+$/g, '') || 'server';
    return 'url' in server
      ? { id, label: server.label, transport: 'http' as const, url: server.url, headers: server.headers ?? {} }
      : { id, label: server.label, command: server.command, args: server.args, env: server.env };
  });
}
