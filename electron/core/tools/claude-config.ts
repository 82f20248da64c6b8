import { z } from 'zod';
import { CodaError } from '../../../shared/index.js';

/** Claude Desktop's `claude_desktop_config.json`: { "mcpServers": { name: { command, args, env } } }. */
const ClaudeDesktopConfig = z.object({
  mcpServers: z.record(
    z.string(),
    z.object({
      command: z.string().min(1),
      args: z.array(z.string()).default([]),
      env: z.record(z.string(), z.string()).default({}),
    }),
  ),
});

export interface ImportedServer {
  label: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** Reads the stdio servers of a Claude Desktop config, with a clear error for anything else. */
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
    throw new CodaError('validation', `Not a Claude Desktop config (expected "mcpServers" with a "command" for each server): ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}.`);
  }
  return Object.entries(parsed.data.mcpServers).map(([label, server]) => ({ label, ...server }));
}
