import type { Command } from 'commander';
import type { SearchHit, splitSnippet } from '../../../shared/index.js';
import type { CliContext } from './context.js';
import { writeJsonLine } from './output.js';
import { withClient } from './with-client.js';

/** `coda search TEXT [--session ID] [--limit N] [--json]`: the app's search, best match first over every chat. */
export function searchCommand(program: Command, cli: CliContext): void {
  program
    .command('search')
    .description('find messages in every chat by their words, best match first (matches shown in [brackets])')
    .argument('<text...>', 'the words to find; the last one also matches as a prefix from 4 letters')
    .option('--session <id>', 'only in this session (its id may be shortened to its start, as with git)')
    .option('--limit <n>', 'how many hits (1 to 200)', (v) => Number.parseInt(v, 10), 20)
    .option('--json', 'print JSON: the hits, matches in each snippet between \\u0002 and \\u0003')
    .action((text: string[], options: { session?: string; limit: number; json?: boolean }) =>
      withClient(cli, {}, async (client) => {
        const sessionId = options.session === undefined ? undefined : (await client.call('sessions.resolve', { idPrefix: options.session })).id;
        const { hits } = await client.call('messages.search', {
          query: text.join(' '),
          limit: options.limit,
          ...(sessionId === undefined ? {} : { filters: { sessionId } }),
        });
        if (options.json) return writeJsonLine(cli.out, hits);
        if (hits.length === 0) cli.err.write('No messages match.\n');
        const { splitSnippet } = await import('../../../shared/index.js');
        for (const hit of hits) cli.out.write(formatHit(hit, splitSnippet));
      }),
    );
}

type Split = typeof splitSnippet;

function formatHit(hit: SearchHit, splitSnippet: Split): string {
  const when = new Date(hit.createdAt).toISOString().replace('T', ' ').slice(0, 16);
  const snippet = splitSnippet(hit.snippet)
    .map((p) => (p.match ? `[${p.text}]` : p.text))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  return `${hit.sessionId}  ${hit.messageId}  ${when}  ${hit.role}  ${hit.sessionTitle}\n    ${snippet}\n`;
}
