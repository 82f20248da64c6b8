import type { Command } from 'commander';
import type { ContextBreakdown, ContextEntry, ContextPreview } from '../../../shared/index.js';
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

const STATUS: Record<ContextEntry['status'], string> = {
  in: 'in',
  pinned: 'pinned',
  compressed: 'shortened',
  'left-out': 'left out',
  summarized: 'summarized',
  recalled: 'recalled',
};

/** The candidate messages, oldest first: status, tokens (as sent when shortened), short id, role, start of the text. */
export function formatEntries(entries: ContextEntry[]): string {
  if (entries.length === 0) return '';
  const lines = entries.map((e) => {
    const tokens = e.status === 'compressed' ? `${n(e.sentTokens)}/${n(e.tokens)}` : n(e.tokens);
    return `  ${STATUS[e.status].padEnd(10)} ${tokens.padStart(13)}  ${e.messageId.slice(0, 8)}  ${e.role === 'user' ? 'you   ' : 'answer'}  ${e.excerpt}${e.recalledFrom ? `  (chat "${e.recalledFrom.sessionTitle}")` : ''}`;
  });
  return `${['messages, oldest first (tokens; shortened: sent/whole):', ...lines].join('\n')}\n`;
}

/** The breakdown, then the list of messages. */
export function formatPreview(preview: ContextPreview): string {
  return formatBreakdown(preview) + formatEntries(preview.messages);
}

export function contextCommands(program: Command, cli: CliContext): void {
  const context = program.command('context').description("what a chat's requests send to the model");
  context
    .command('show')
    .description('how the next request of a chat would fill its model’s window (token counts are estimates)')
    .argument('<session>', 'chat id, or the start of one')
    .option('--json', 'print JSON, with each message (id, role, excerpt, tokens, status)')
    .action((id: string, options: { json?: boolean }) =>
      withClient(cli, {}, async (client) => {
        const session = await client.call('sessions.resolve', { idPrefix: id });
        const preview = await client.call('context.show', { sessionId: session.id });
        if (options.json) writeJsonLine(cli.out, preview);
        else cli.out.write(formatPreview(preview));
      }),
    );
}
