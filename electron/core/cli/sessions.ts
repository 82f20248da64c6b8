import type { Command } from 'commander';
import type { MethodOutput } from '../../../shared/index.js';
import { unwrap } from './chat.js';
import type { CliContext } from './context.js';
import { formatSessionLine, formatUsage, messageText, writeJsonLine } from './output.js';

export function sessionsCommands(program: Command, cli: CliContext): void {
  const sessions = program.command('sessions').description('list, show, rename and delete sessions');

  const withCore = async (work: (core: Awaited<ReturnType<CliContext['openCore']>>) => Promise<void>) => {
    const core = await cli.openCore();
    try {
      await work(core);
    } finally {
      await core.close();
    }
  };

  sessions
    .command('list')
    .description('sessions, most recent first')
    .option('--limit <n>', 'how many', (v) => Number.parseInt(v, 10), 50)
    .option('--json', 'print JSON')
    .action((options: { limit: number; json?: boolean }) =>
      withCore(async (core) => {
        const page = unwrap(await core.invoke('sessions.list', { limit: options.limit })) as MethodOutput<'sessions.list'>;
        if (options.json) return writeJsonLine(cli.out, page.items);
        if (page.items.length === 0) cli.err.write('No sessions yet. Start one with: coda chat "hello"\n');
        for (const session of page.items) cli.out.write(`${formatSessionLine(session)}\n`);
      }),
    );

  sessions
    .command('show')
    .description('the conversation of a session')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action((id: string, options: { json?: boolean }) =>
      withCore(async (core) => {
        const session = unwrap(await core.invoke('sessions.get', { id })) as MethodOutput<'sessions.get'>;
        const path = unwrap(await core.invoke('messages.path', { sessionId: id, limit: 1000 })) as MethodOutput<'messages.path'>;
        if (options.json) return writeJsonLine(cli.out, { session, messages: path.messages, total: path.total });
        const totals = unwrap(await core.invoke('sessions.totals', { id })) as MethodOutput<'sessions.totals'>;
        const spent = totals.answers > 0 ? `\n${totals.inputTokens + totals.outputTokens} tokens, $${totals.costUsd.toFixed(6)}${totals.unpricedAnswers ? ` (+${totals.unpricedAnswers} unpriced answers)` : ''}` : '';
        cli.out.write(`# ${session.title}\n${session.settings.provider} / ${session.settings.model}${spent}\n\n`);
        for (const message of path.messages) {
          const meta = message.role === 'assistant' ? ` (${[message.status !== 'complete' ? message.status : '', formatUsage(message)].filter(Boolean).join('; ')})` : '';
          cli.out.write(`## ${message.role}${meta}\n${messageText(message)}${message.error ? `\n[error] ${message.error.message}` : ''}\n\n`);
        }
      }),
    );

  sessions
    .command('rename')
    .description('give a session a new title')
    .argument('<id>')
    .argument('<title...>')
    .option('--json', 'print JSON')
    .action((id: string, title: string[], options: { json?: boolean }) =>
      withCore(async (core) => {
        const session = unwrap(await core.invoke('sessions.rename', { id, title: title.join(' ') })) as MethodOutput<'sessions.rename'>;
        if (options.json) writeJsonLine(cli.out, session);
        else cli.out.write(`${formatSessionLine(session)}\n`);
      }),
    );

  sessions
    .command('delete')
    .description('move a session to the trash (it can be restored)')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action((id: string, options: { json?: boolean }) =>
      withCore(async (core) => {
        const session = unwrap(await core.invoke('sessions.delete', { id })) as MethodOutput<'sessions.delete'>;
        if (options.json) writeJsonLine(cli.out, session);
        else cli.out.write(`Deleted "${session.title}".\n`);
      }),
    );
}
