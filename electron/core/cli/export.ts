import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { CodaError } from '../../../shared/index.js';
import type { ExportFormat } from '../export/json-export.js';
import type { CliContext } from './context.js';
import { withClient } from './with-client.js';

function parseFormat(value: string): ExportFormat {
  if (value === 'json' || value === 'md' || value === 'html') return value;
  throw new InvalidArgumentError('give json, md or html.');
}

/** `coda export SESSION…|--all --format json|md|html --out FILE`: what Export in the app writes, for scripts and backups of chats. */
export function exportCommand(program: Command, cli: CliContext): void {
  program
    .command('export')
    .description(
      'write chats to a file: JSON (every branch, steps, tool calls, usage, feedback; see resources/export-schema.json) a Markdown transcript or a read-only HTML page',
    )
    .argument('[sessions...]', 'chat ids, or the start of them')
    .option('--all', 'every chat not in the trash')
    .addOption(new Option('--format <format>', 'json, md or html').argParser(parseFormat).default('json'))
    .requiredOption('--out <file>', 'the file to write (replaced when it exists)')
    .action((ids: string[], options: { all?: boolean; format: ExportFormat; out: string }) => {
      if (options.all && ids.length > 0) throw new CodaError('validation', 'Give chat ids or --all, not both.');
      if (!options.all && ids.length === 0) throw new CodaError('validation', 'Say which chats to export (their ids), or --all.');
      return withClient(cli, {}, async (client, core) => {
        const [{ ExportReader }, { exportChats }] = await Promise.all([import('../store/repositories/export-reader.js'), import('../export/json-export.js')]);
        const reader = new ExportReader(core.store);
        const chatIds = options.all
          ? await reader.liveChatIds()
          : await Promise.all(ids.map(async (id) => (await client.call('sessions.resolve', { idPrefix: id })).id));
        const outFile = path.resolve(options.out);
        const progress = 'isTTY' in cli.err && cli.err.isTTY === true;
        const result = await exportChats({
          reader,
          chatIds: [...new Set(chatIds)],
          format: options.format,
          outFile,
          onProgress: progress ? ({ done, total }) => cli.err.write(`\rExporting chat ${done} of ${total}…`) : undefined,
        });
        if (progress) cli.err.write('\n');
        cli.out.write(`Exported ${result.chats} chat${result.chats === 1 ? '' : 's'} (${result.messages} messages, ${result.bytes} bytes) to ${outFile}.\n`);
      });
    });
}
