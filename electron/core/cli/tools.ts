import type { Command } from 'commander';
import type { MethodOutput } from '../../../shared/index.js';
import { unwrap } from './chat.js';
import type { CliContext } from './context.js';
import { writeJsonLine } from './output.js';

export function toolsCommands(program: Command, cli: CliContext): void {
  program
    .command('tools')
    .description('tools the agent can use')
    .command('list')
    .description('list the tools of the built-in server (and any configured MCP server)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const core = await cli.openCore();
      try {
        const { tools } = unwrap(await core.invoke('tools.list', {})) as MethodOutput<'tools.list'>;
        // Servers whose tools are missing from the list say why (on stderr, so --json output stays clean).
        const { servers } = unwrap(await core.invoke('tools.servers', {})) as MethodOutput<'tools.servers'>;
        for (const server of servers.filter((s) => s.confirmed && s.error)) cli.err.write(`! ${server.label}: ${server.error}\n`);
        if (options.json) return writeJsonLine(cli.out, tools);
        for (const tool of tools) cli.out.write(`${tool.id.padEnd(32)} ${tool.readOnly ? 'read-only' : 'can act  '}  ${tool.description.split('\n')[0]}\n`);
      } finally {
        await core.close();
      }
    });
}
