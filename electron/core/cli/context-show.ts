import type { Command } from 'commander';
import type { ContextBreakdown } from '../../../shared/index.js';
import type { CliContext } from './context.js';
import { writeJsonLine } from './output.js';
import { withClient } from './with-client.js';

const n = (tokens: number) => tokens.toLocaleString('en-US');

/** The breakdown as a short table: each part's tokens, then which messages are in, shortened and out. */
export function formatBreakdown(b: ContextBreakdown): string {
  const rows: [string, number][] = [
    ['system prompt', b.system],
    ['tool schemas', b.tools],
    ['pinned', b.pins],
    ['summary', b.summary],
    ['recalled', b.recalled],
    ['recent messages', b.recent],
    ['free', b.free],
  ];
  const lines = [
    `window ${n(b.window)} tokens − ${n(b.outputReserve)} kept for the answer = budget ${n(b.budget)}`,
    ...rows.map(([name, tokens]) => `  ${name.padEnd(16)} ${n(tokens).padStart(10)}`),
    `messages: ${b.included.length} in, ${b.compressed.length} shortened, ${b.dropped.length} left out`,
  ];
  if (b.pinsOverBudget) lines.push('warning: pinned messages alone exceed the budget; unpin some or pick a model with a larger window.');
  return `${lines.join('\n')}\n`;
}

export function contextCommands(program: Command, cli: CliContext): void {
  const context = program.command('context').description("what a chat's requests send to the model");
  context
    .command('show')
    .description('how the next request of a chat would fill its model’s window (token counts are estimates)')
    .argument('<session>', 'chat id, or the start of one')
    .option('--json', 'print JSON, with the ids of the messages in, shortened and left out')
    .action((id: string, options: { json?: boolean }) =>
      withClient(cli, {}, async (client) => {
        const session = await client.call('sessions.resolve', { idPrefix: id });
        const breakdown = await client.call('context.show', { sessionId: session.id });
        if (options.json) writeJsonLine(cli.out, breakdown);
        else cli.out.write(formatBreakdown(breakdown));
      }),
    );
}
