import { z } from 'zod';
import { CodaError, NewCommandServer, NewHttpServer } from '../../../../shared/index.js';

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

export type ImportedServer = z.output<typeof NewCommandServer> | z.output<typeof NewHttpServer>;

/**
 * Reads the servers of a Claude Desktop config, with a clear error for anything else. Each server then meets the
 * limits of the add-server form (the same schema): a config found on disk is no more trusted than typed input, and
 * its names become labels in the native "start this server" dialog.
 */
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
  return Object.entries(parsed.data.mcpServers).map(([label, server]) => {
    const checked: z.ZodSafeParseResult<ImportedServer> =
      'url' in server
        ? NewHttpServer.safeParse({ label, url: server.url, headers: server.headers })
        : NewCommandServer.safeParse({ label, command: server.command, args: server.args, env: server.env });
    if (checked.success) return checked.data;
    const issue = checked.error.issues[0];
    // The name is shown quoted and cut short: it may be the very thing refused (too long, a line break in it).
    const name = JSON.stringify(label.length > 60 ? `${label.slice(0, 60)}…` : label);
    throw new CodaError(
      'validation',
      `The server ${name} in the Claude Desktop config was not added: ${issue ? `${issue.path.join('.') || 'server'}: ${issue.message}` : 'invalid'}.`,
    );
  });
}
