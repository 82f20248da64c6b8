import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { formatSessionLine, writeJsonLine } from './output.js';
import { withClient } from './with-client.js';

export function sessionsCommands(program: Command, cli: CliContext): void {
  const sessions = program
    .command('sessions')
    .description('list, show, rename, delete and restore sessions (an id may be shortened to its start, as with git)');

  sessions
    .command('list')
    .description('sessions, most recent first (with --trash: deleted ones, most recently deleted first)')
    .option('--limit <n>', 'how many', (v) => Number.parseInt(v, 10), 50)
    .option('--trash', 'list deleted sessions instead (restore one with: coda sessions restore <id>)')
    .option('--json', 'print JSON')
    .action((options: { limit: number; trash?: boolean; json?: boolean }) =>
      withClient(cli, {}, async (client) => {
        const page = await client.call('sessions.list', { limit: options.limit, ...(options.trash ? { trash: true } : {}) });
        if (options.json) return writeJsonLine(cli.out, page.items);
        if (page.items.length === 0) cli.err.write(options.trash ? 'The trash is empty.\n' : 'No sessions yet. Start one with: coda chat "hello"\n');
        for (const session of page.items) cli.out.write(`${formatSessionLine(session)}\n`);
      }),
    );

  sessions
    .command('show')
    .description('the conversation of a session, with the model that gave each answer and its tool calls')
    .argument('<id>')
    .option('--json', 'print JSON: the session, its messages, their tool calls and steps, and its totals')
    .action((id: string, options: { json?: boolean }) =>
      withClient(cli, {}, async (client) => {
        const { formatSessionView, loadSessionView } = await import('./session-view.js');
        const view = await loadSessionView(client, await client.call('sessions.resolve', { idPrefix: id }));
        if (options.json) writeJsonLine(cli.out, view);
        else cli.out.write(formatSessionView(view));
      }),
    );

  sessions
    .command('rename')
    .description('give a session a new title')
    .argument('<id>')
    .argument('<title...>')
    .option('--json', 'print JSON')
    .action((id: string, title: string[], options: { json?: boolean }) =>
      withClient(cli, {}, async (client) => {
        const { id: sessionId } = await client.call('sessions.resolve', { idPrefix: id });
        const session = await client.call('sessions.rename', { id: sessionId, title: title.join(' ') });
        if (options.json) writeJsonLine(cli.out, session);
        else cli.out.write(`${formatSessionLine(session)}\n`);
      }),
    );

  sessions
    .command('delete')
    .description('move a session to the trash (coda sessions restore brings it back)')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action((id: string, options: { json?: boolean }) =>
      withClient(cli, {}, async (client) => {
        const { id: sessionId } = await client.call('sessions.resolve', { idPrefix: id });
        const session = await client.call('sessions.delete', { id: sessionId });
        if (options.json) writeJsonLine(cli.out, session);
        else cli.out.write(`Moved "${session.title}" to the trash. To bring it back: coda sessions restore ${session.id}\n`);
      }),
    );

  sessions
    .command('restore')
    .description('bring a session back from the trash (see: coda sessions list --trash)')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action((id: string, options: { json?: boolean }) =>
      withClient(cli, {}, async (client) => {
        const { id: sessionId } = await client.call('sessions.resolve', { idPrefix: id, trash: true });
        const session = await client.call('sessions.restore', { id: sessionId });
        if (options.json) writeJsonLine(cli.out, session);
        else cli.out.write(`Restored "${session.title}".\n`);
      }),
    );
}
