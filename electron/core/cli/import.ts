import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ConflictMode, ImportReport } from '../import/coda-import.js';
import type { ImportFrom, ImportProgress } from '../import/import-file.js';
import type { CliContext } from './context.js';
import { withClient } from './with-client.js';

function parseConflict(value: string): ConflictMode {
  if (value === 'skip' || value === 'replace' || value === 'copy') return value;
  throw new InvalidArgumentError('give skip, replace or copy.');
}

const FROM = ['auto', 'coda', 'chatgpt', 'claude', 'openwebui', 'librechat'] as const;

function parseFrom(value: string): ImportFrom {
  const from = FROM.find((f) => f === value);
  if (from) return from;
  throw new InvalidArgumentError(`give ${FROM.slice(0, -1).join(', ')} or ${FROM.at(-1)}.`);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** One progress line, rewritten in place ("\r") on a terminal. */
function progressLine(p: ImportProgress): string {
  const percent = p.totalBytes === 0 ? 100 : Math.floor((p.bytesRead / p.totalBytes) * 100);
  return p.phase === 'checking'
    ? `Checking… ${percent}% (${mb(p.bytesRead)} of ${mb(p.totalBytes)}, ${p.chatsDone} chats)`
    : `Importing… ${percent}% (${p.chatsDone} of ${p.chatsTotal ?? '?'} chats)`;
}

function describe(report: ImportReport): string {
  const lines = report.chats.map((c) => {
    switch (c.outcome) {
      case 'imported':
      case 'replaced':
        return `${c.outcome === 'imported' ? 'Imported' : 'Replaced'} "${c.title}" (${c.id}, ${c.messages} messages)`;
      case 'copied':
        return `Copied "${c.title}" as ${c.id} (${c.messages} messages; ${c.fromId} was already here)`;
      case 'skipped':
        return `Skipped "${c.title}" (${c.id}): ${c.reason}`;
      case 'failed':
        return `Failed "${c.title}" (${c.id}): ${c.reason}`;
    }
  });
  const total = `${report.imported} of ${report.chats.length} chat${report.chats.length === 1 ? '' : 's'} imported (${report.messages} messages), ${report.skipped} skipped, ${report.failed} failed.`;
  return [...lines, total].join('\n') + '\n';
}

/**
 * `coda import FILE [--from auto|coda|chatgpt|claude|openwebui|librechat] [--on-conflict skip|replace|copy] [--json]
 * [--progress]`: reads an export back, streamed (files up to 500 MB), with progress on stderr on a terminal.
 */
export function importCommand(program: Command, cli: CliContext): void {
  program
    .command('import')
    .description('import chats from an export (each chat whole or not at all; files up to 500 MB) and print what was imported or skipped')
    .argument('<file>', 'the export to read')
    .addOption(new Option('--from <format>', `the app it comes from: ${FROM.join(', ')}`).argParser(parseFrom).default('auto'))
    .addOption(new Option('--on-conflict <mode>', 'for a chat already here: skip, replace, or copy (new ids)').argParser(parseConflict).default('copy'))
    .option('--json', 'print the report as JSON')
    .option('--progress', 'show progress on stderr even when it is not a terminal (it is shown on a terminal unless --json)')
    .action((file: string, options: { from: ImportFrom; onConflict: ConflictMode; json?: boolean; progress?: boolean }) =>
      withClient(cli, {}, async (_client, core) => {
        const [{ ImportWriter }, { importFile }] = await Promise.all([import('../store/repositories/import-writer.js'), import('../import/import-file.js')]);
        const terminal = (cli.err as NodeJS.WriteStream).isTTY === true;
        const show = options.progress === true || (terminal && !options.json);
        let shown = false;
        const onProgress = show
          ? (p: ImportProgress) => {
              shown = true;
              cli.err.write(terminal ? `\r\x1b[2K${progressLine(p)}` : `${progressLine(p)}\n`);
            }
          : undefined;
        const report = await importFile({
          file: path.resolve(file),
          from: options.from,
          writer: new ImportWriter(core.store),
          onConflict: options.onConflict,
          ...(onProgress ? { onProgress } : {}),
        }).finally(() => {
          if (shown && terminal) cli.err.write('\n');
        });
        cli.out.write(options.json ? `${JSON.stringify(report)}\n` : describe(report));
        if (report.failed > 0) process.exitCode = 1;
      }),
    );
}
