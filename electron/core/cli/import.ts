import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ConflictMode, ImportReport } from '../import/coda-import.js';
import type { CliContext } from './context.js';
import { withClient } from './with-client.js';

function parseConflict(value: string): ConflictMode {
  if (value === 'skip' || value === 'replace' || value === 'copy') return value;
  throw new InvalidArgumentError('give skip, replace or copy.');
}

function parseFrom(value: string): 'auto' | 'coda' {
  if (value === 'auto' || value === 'coda') return value;
  throw new InvalidArgumentError('give auto or coda (other apps’ exports come later).');
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

/** `coda import FILE [--from auto|coda] [--on-conflict skip|replace|copy] [--json]`: reads a Coda JSON export back. */
export function importCommand(program: Command, cli: CliContext): void {
  program
    .command('import')
    .description('import chats from a Coda JSON export (each chat whole or not at all) and print what was imported or skipped')
    .argument('<file>', 'the export to read')
    .addOption(new Option('--from <format>', 'auto or coda').argParser(parseFrom).default('auto'))
    .addOption(new Option('--on-conflict <mode>', 'for a chat already here: skip, replace, or copy (new ids)').argParser(parseConflict).default('copy'))
    .option('--json', 'print the report as JSON')
    .action((file: string, options: { from: 'auto' | 'coda'; onConflict: ConflictMode; json?: boolean }) =>
      withClient(cli, {}, async (_client, core) => {
        const [{ ImportWriter }, { importCodaFile }] = await Promise.all([
          import('../store/repositories/import-writer.js'),
          import('../import/coda-import.js'),
        ]);
        const report = await importCodaFile({ file: path.resolve(file), writer: new ImportWriter(core.store), onConflict: options.onConflict });
        cli.out.write(options.json ? `${JSON.stringify(report)}\n` : describe(report));
        if (report.failed > 0) process.exitCode = 1;
      }),
    );
}
