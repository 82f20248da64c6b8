import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { writeJsonLine } from './output.js';
import { withClient } from './with-client.js';

export function toolsCommands(program: Command, cli: CliContext): void {
  program
    .command('tools')
    .description('tools the agent can use')
    .command('list')
    .description('list the tools of the built-in server (and any configured MCP server)')
    .option('--mcp-config <file>', 'also list the tools of the MCP servers of this Claude Desktop config file, as chat --mcp-config would use them')
    .option('--json', 'print JSON')
    .action(async (options: { mcpConfig?: string; json?: boolean }) => {
      const toolServers = options.mcpConfig ? await (await import('./mcp-config.js')).readMcpConfig(options.mcpConfig) : [];
      await withClient(cli, { toolServers }, async (client) => {
        const { tools } = await client.call('tools.list', {});
        // Servers whose tools are missing from the list say why (on stderr, so --json output stays clean).
        const { servers } = await client.call('tools.servers', {});
        for (const server of servers.filter((s) => s.confirmed && s.error)) cli.err.write(`! ${server.label}: ${server.error}\n`);
        if (options.json) return writeJsonLine(cli.out, tools);
        for (const tool of tools) cli.out.write(`${tool.id.padEnd(32)} ${tool.readOnly ? 'read-only' : 'can act  '}  ${tool.description.split('\n')[0]}\n`);
      });
    });
}
