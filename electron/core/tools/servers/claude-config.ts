import { z } from 'zod';
import { CodaError } from '../../../../shared/index.js';

/**
 * Claude Desktop's `claude_desktop_config.json`: { "mcpServers": { name: { command, args, env } } }. Remote servers
 * in the shape Claude Code, Cursor and VS Code write ({ type: "http" | "sse", url, headers }) are read too.
 */
const StdioEntry = z.object({
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
});
const RemoteEntry = z.object({
  type: z.enum(['http', 'streamable-http', 'sse']).optional(),
  url: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), z.string()).default({}),
});
const ClaudeDesktopConfig = z.object({ mcpServers: z.record(z.string(), z.union([StdioEntry, RemoteEntry])) });

export type ImportedServer =
  | { label: string; command: string; args: string[]; env: Record<string, string> }
  | { label: string; url: string; headers: Record<string, string> };

/** Reads the servers of a Claude Desktop config, with a clear error for anything else. */
export function parseClaudeDesktopConfig(text: string): ImportedServer[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CodaError('validation', `The Claude Desktop config is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = ClaudeDesktopConfig.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CodaError(
      'validation',
      `Not a Claude Desktop config (expected "mcpServers" with a "command", or a remote server's "url", for each server): ${issue ? `${issue.path.join('.') || 'mcpServers'}: ${issue.message}` : 'invalid'}.`,
    );
  }
  return Object.entries(parsed.data.mcpServers).map(([label, server]) =>
    'url' in server ? { label, url: server.url, headers: server.headers } : { label, command: server.command, args: server.args, env: server.env },
  );
}
