import type { Command } from 'commander';
import { CodaError, type CodaClient, type SearchHit, type splitSnippet } from '../../../shared/index.js';
import type { CliContext } from './context.js';
import { writeJsonLine } from './output.js';
import { withClient } from './with-client.js';

/**
 * `coda search TEXT [--semantic | --hybrid] [--session ID] [--limit N] [--json]`: the app's search, best match first
 * over every chat. A semantic (or hybrid) search first embeds every message not yet embedded, with progress on stderr.
 */
export function searchCommand(program: Command, cli: CliContext): void {
  program
    .command('search')
    .description('find messages in every chat by their words, best match first (matches shown in [brackets])')
    .argument('<text...>', 'the words to find; the last one also matches as a prefix from 4 letters')
    .option('--session <id>', 'only in this session (its id may be shortened to its start, as with git)')
    .option('--limit <n>', 'how many hits (1 to 200)', (v) => Number.parseInt(v, 10), 20)
    .option('--semantic', 'find by meaning with the embedding model set in Settings › Recall (embeds what is not embedded yet first)')
    .option('--hybrid', 'both: keyword and semantic hits merged by reciprocal rank fusion')
    .option('--json', 'print JSON: the hits, matches in each snippet between \\u0002 and \\u0003')
    .action((text: string[], options: { session?: string; limit: number; json?: boolean; semantic?: boolean; hybrid?: boolean }) =>
      withClient(cli, {}, async (client) => {
        // `coda search ""` would otherwise reach the contract's check and print its schema wording.
        if (text.join(' ').trim() === '') throw new CodaError('validation', 'Give the words to search for, e.g. coda search deploy script.');
        const sessionId = options.session === undefined ? undefined : (await client.call('sessions.resolve', { idPrefix: options.session })).id;
        const mode = options.hybrid ? 'hybrid' : options.semantic ? 'semantic' : 'keyword';
        if (mode !== 'keyword') await embedEverything(client, cli);
        const { hits } = await client.call('messages.search', {
          query: text.join(' '),
          limit: options.limit,
          mode,
          ...(sessionId === undefined ? {} : { filters: { sessionId } }),
        });
        if (options.json) return writeJsonLine(cli.out, hits);
        if (hits.length === 0) cli.err.write('No messages match.\n');
        const { splitSnippet } = await import('../../../shared/index.js');
        for (const hit of hits) cli.out.write(formatHit(hit, splitSnippet));
      }),
    );
}

/** Embeds every message not embedded yet, saying how far it is on stderr, so the search sees every message. */
async function embedEverything(client: CodaClient, cli: CliContext): Promise<void> {
  let shown = -1;
  const stop = client.onApp((event) => {
    if (event.type !== 'embedding-progress' || event.progress.embedded === shown || event.progress.embedded === event.progress.total) return;
    shown = event.progress.embedded;
    cli.err.write(`Embedding messages: ${event.progress.embedded} of ${event.progress.total}\n`);
  });
  try {
    const done = await client.call('recall.backfill', {});
    if (shown >= 0) cli.err.write(`Embedded ${done.total} messages.\n`);
  } finally {
    stop();
  }
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
