import type { Command } from 'commander';
import { formatUsd, type BranchTotals, type CompareResult, type CompareTurn } from '../../../shared/index.js';
import type { CliContext } from './context.js';
import { writeJsonLine } from './output.js';
import { resolveMessageInChat } from './resolve-message.js';
import { withClient } from './with-client.js';

/** `coda compare SESSION LEFT RIGHT`: two branches of a chat from where they part, turn by turn, with their totals. */
export function compareCommand(program: Command, cli: CliContext): void {
  program
    .command('compare')
    .description(
      'two branches of a session side by side from where they part: each message id (or the start of one) stands for its branch down to its latest answer',
    )
    .argument('<session>', 'the session (an id or its start)')
    .argument('<left>', 'a message on the first branch')
    .argument('<right>', 'a message on the second branch')
    .option('--json', 'print JSON: the shared message, the aligned rows and each side’s totals')
    .action((session: string, left: string, right: string, options: { json?: boolean }) =>
      withClient(cli, {}, async (client) => {
        const { id: sessionId } = await client.call('sessions.resolve', { idPrefix: session });
        // Questions too (an edited question starts a branch), not only answers: looked up in this chat's tree.
        const [leftId, rightId] = await Promise.all([resolveMessageInChat(client, sessionId, left), resolveMessageInChat(client, sessionId, right)]);
        const result = await client.call('sessions.compare', { sessionId, leftId, rightId });
        if (options.json) writeJsonLine(cli.out, result);
        else cli.out.write(formatCompare(result));
      }),
    );
}

export function formatCompare(result: CompareResult): string {
  const lines: string[] = [];
  lines.push(result.ancestor ? `From: ${oneLine(result.ancestor.text, 100)}` : 'From the start of the chat');
  result.rows.forEach((row, i) => {
    lines.push('', `── Turn ${i + 1}`);
    lines.push(...side('A', row.left), ...side('B', row.right));
  });
  lines.push('', totalsLine('A', result.left.totals), totalsLine('B', result.right.totals));
  return `${lines.join('\n')}\n`;
}

function side(name: string, turn: CompareTurn | null): string[] {
  if (!turn) return [`${name}  (no turn here)`];
  const lines = turn.question ? [`${name}  You: ${oneLine(turn.question.text, 200)}`] : [];
  for (const answer of turn.answers) lines.push(`${name}  ${answer.model ?? answer.role}: ${oneLine(answer.text, 200)}`);
  return lines;
}

function totalsLine(name: string, t: BranchTotals): string {
  const cost = t.unpricedAnswers > 0 ? `${formatUsd(t.costUsd)} (+${t.unpricedAnswers} unpriced)` : formatUsd(t.costUsd);
  const firstToken = t.firstTokenMs === null ? '' : `, first token ${t.firstTokenMs} ms`;
  return `${name}  ${t.models.join(', ') || 'no answers'} · ${t.answers === 1 ? '1 answer' : `${t.answers} answers`} · ${t.inputTokens} in / ${t.outputTokens} out tokens · ${cost} · ${t.latencyMs} ms${firstToken} · ${t.toolCalls} tool calls`;
}

function oneLine(text: string, chars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > chars ? `${flat.slice(0, chars - 1)}…` : flat;
}
