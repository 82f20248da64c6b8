import type { Command } from 'commander';
import { originLabel, type Message } from '../../../shared/index.js';
import type { CliContext } from './context.js';
import { messageText, writeJsonLine } from './output.js';
import { resolveMessageInChat as resolveMessage } from './resolve-message.js';
import { withClient } from './with-client.js';

/** One merged message as a line: its origin, then the start of its text. */
function mergedLine(message: Message): string {
  const text = messageText(message).replace(/\s+/g, ' ');
  const origin = message.origin ? originLabel(message.origin) : 'merged';
  return `${message.id}  ${message.role.padEnd(9)} ${origin}: ${text.length > 60 ? `${text.slice(0, 59)}…` : text}`;
}

export function mergeCommand(program: Command, cli: CliContext): void {
  program
    .command('merge')
    .description('bring messages of one branch into another branch or chat, as copies or as one summary, keeping where they came from')
    .requiredOption('--from <session>', 'the chat the messages are in (id, or the start of one)')
    .requiredOption('--messages <ids...>', 'the messages to merge, all on one branch (ids, or their starts)')
    .requiredOption('--into <session>', 'the chat they go into (the same chat merges one branch into another)')
    .option('--after <message>', 'the message of the target chat they follow (default: the end of its branch shown)')
    .option('--summary', 'write one summary of them with the summarizer model instead of copies')
    .option('--json', 'print the target chat and the merged messages as JSON')
    .action((options: { from: string; messages: string[]; into: string; after?: string; summary?: boolean; json?: boolean }) =>
      withClient(cli, {}, async (client) => {
        const source = await client.call('sessions.resolve', { idPrefix: options.from });
        const target = await client.call('sessions.resolve', { idPrefix: options.into });
        const messageIds: string[] = [];
        for (const id of options.messages) messageIds.push(await resolveMessage(client, source.id, id));
        const after = options.after ? await resolveMessage(client, target.id, options.after) : undefined;
        const session = await client.call('messages.merge', {
          targetSessionId: target.id,
          sourceSessionId: source.id,
          messageIds,
          mode: options.summary ? 'summary' : 'messages',
          ...(after ? { targetParentId: after } : {}),
        });
        const written = options.summary ? 1 : new Set(messageIds).size;
        const merged = (await client.call('messages.path', { sessionId: session.id, limit: written })).messages;
        if (options.json) {
          writeJsonLine(cli.out, { session, merged });
          return;
        }
        const what = options.summary ? `a summary of ${messageIds.length} messages` : `${written} message${written === 1 ? '' : 's'}`;
        cli.out.write(`merged ${what} from "${source.title}" into "${session.title}" (${session.id})\n`);
        for (const message of merged) cli.out.write(`${mergedLine(message)}\n`);
      }),
    );
}
