import type { Command } from 'commander';
import type { Summary } from '../../../shared/index.js';
import type { CliContext } from './context.js';
import { writeJsonLine } from './output.js';
import { withClient } from './with-client.js';

/** The summary as a person reads it: what it covers, how much it kept, what it lost, then its text. */
export function formatSummary(s: Summary): string {
  const kept = s.quality.checked - s.quality.lost.length;
  const lines = [
    `summary of ${s.messageCount} messages, from ${s.fromMessageId} to ${s.toMessageId} (${s.provider}/${s.model}, ${s.trigger}${s.editedAt ? ', edited' : ''})`,
    `coverage ${Math.round(s.quality.coverage * 100)}%: ${kept} of ${s.quality.checked} names, numbers and decisions kept`,
    ...s.quality.lost.map((f) => `  lost ${f.kind}: ${f.text}`),
    '',
    s.text,
  ];
  return `${lines.join('\n')}\n`;
}

export function summarizeCommand(program: Command, cli: CliContext): void {
  program
    .command('summarize')
    .description("summarize a chat's branch now (folding new messages into its summary) and print it, its range and coverage")
    .argument('<session>', 'chat id, or the start of one')
    .option('--json', 'print the summary as JSON')
    .action((id: string, options: { json?: boolean }) =>
      withClient(cli, {}, async (client) => {
        const session = await client.call('sessions.resolve', { idPrefix: id });
        const summary = await client.call('summaries.create', { sessionId: session.id });
        if (options.json) writeJsonLine(cli.out, summary);
        else cli.out.write(formatSummary(summary));
      }),
    );
}
