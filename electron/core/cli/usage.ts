import type { Command } from 'commander';
import { addDays, isValid, parseISO } from 'date-fns';
import type { UsageRow } from '../../../shared/index.js';
import type { CliContext } from './context.js';
import { writeJsonLine } from './output.js';
import { withClient } from './with-client.js';

/** A day given on the command line (YYYY-MM-DD, in this machine's time zone) as the time it starts. */
export function dayStart(text: string, option: string): number {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseISO(text) : null;
  if (!day || !isValid(day)) throw new Error(`${option} takes a day as YYYY-MM-DD, such as 2026-12-01; "${text}" is not one.`);
  return day.getTime();
}

interface ModelTotal {
  answers: number;
  input: number;
  output: number;
  cost: number;
  unpriced: number;
  estimated: number;
}

/** Answers, tokens and cost per model, as a table; an approximate sign where counts were estimated. */
function printSummary(out: NodeJS.WritableStream, rows: UsageRow[]): void {
  if (rows.length === 0) return void out.write('No answers with usage in this range.\n');
  const byModel = new Map<string, ModelTotal>();
  const all: ModelTotal = { answers: 0, input: 0, output: 0, cost: 0, unpriced: 0, estimated: 0 };
  for (const row of rows) {
    const key = `${row.provider ?? '?'}/${row.model ?? '?'}`;
    const total = byModel.get(key) ?? { answers: 0, input: 0, output: 0, cost: 0, unpriced: 0, estimated: 0 };
    for (const t of [total, all]) {
      t.answers += 1;
      t.input += row.inputTokens;
      t.output += row.outputTokens;
      t.cost += row.costUsd ?? 0;
      t.unpriced += row.costUsd === null ? 1 : 0;
      t.estimated += row.estimated ? 1 : 0;
    }
    byModel.set(key, total);
  }
  const line = (name: string, t: ModelTotal) => {
    const approx = t.estimated > 0 ? '≈' : ' ';
    const cost = `${approx}$${t.cost.toFixed(4)}${t.unpriced > 0 ? ` (+${t.unpriced} unpriced)` : ''}`;
    return `${name.padEnd(44)} ${String(t.answers).padStart(7)} ${t.input.toLocaleString('en-US').padStart(13)} ${t.output.toLocaleString('en-US').padStart(13)}  ${cost}\n`;
  };
  out.write(`${'model'.padEnd(44)} ${'answers'.padStart(7)} ${'input tokens'.padStart(13)} ${'output tokens'.padStart(13)}  cost\n`);
  for (const [name, total] of [...byModel].sort((a, b) => b[1].cost - a[1].cost)) out.write(line(name, total));
  out.write(line('total', all));
  if (all.estimated > 0) out.write('≈: some answers were stopped or cut off, so their counts are estimates.\n');
}

export function usageCommand(program: Command, cli: CliContext): void {
  program
    .command('usage')
    .description('tokens and cost of answers, per model, or every answer as CSV')
    .option('--from <day>', 'first day, YYYY-MM-DD (local time)')
    .option('--to <day>', 'last day, YYYY-MM-DD, included')
    .option('--chat <id>', 'only this chat')
    .option('--csv', 'print every answer as CSV (one row per answer)')
    .option('--json', 'print every answer as JSON')
    .action((options: { from?: string; to?: string; chat?: string; csv?: boolean; json?: boolean }) => {
      const from = options.from === undefined ? undefined : dayStart(options.from, '--from');
      const to = options.to === undefined ? undefined : addDays(dayStart(options.to, '--to'), 1).getTime();
      if (from !== undefined && to !== undefined && from >= to) throw new Error('--from must not be after --to.');
      return withClient(cli, {}, async (client) => {
        const sessionId = options.chat ? (await client.call('sessions.resolve', { idPrefix: options.chat })).id : undefined;
        const { rows, truncated } = await client.call('usage.answers', { from, to, sessionId });
        if (truncated) cli.err.write('coda: more than 100,000 answers in this range; only the first 100,000 are listed. Narrow it with --from and --to.\n');
        if (options.json) return writeJsonLine(cli.out, { rows, truncated });
        if (options.csv) {
          const { usageCsv } = await import('../../../shared/data/usage-csv.js');
          return void cli.out.write(`${usageCsv(rows)}\r\n`);
        }
        printSummary(cli.out, rows);
      });
    });
}
