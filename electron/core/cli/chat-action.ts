import { ApiError, CodaError, type CodaClient } from '../../../shared/index.js';
import { checkedSettings } from './chat-request.js';
import { followAnswer } from './chat-run.js';
import type { CliContext } from './context.js';
import { readMcpConfig } from './mcp-config.js';
import { answeredBy, formatUsage, writeJsonLine } from './output.js';
import { withClient } from './with-client.js';

export interface ChatOptions {
  session?: string;
  provider?: string;
  model?: string;
  system?: string;
  fallback?: string[];
  approve?: string;
  mcpConfig?: string;
  json?: boolean;
  overBudget?: boolean;
}

/** The exit code of a command stopped with Ctrl-C (128 + SIGINT), as shells expect. */
const EXIT_STOPPED = 130;

/** `coda chat`: sends the message and streams the answer (loaded only when the command runs). */
export async function runChat(cli: CliContext, words: string[], options: ChatOptions): Promise<void> {
  if (options.approve && !['auto', 'ask', 'deny'].includes(options.approve)) {
    throw new CodaError('validation', `--approve takes auto, ask or deny (got "${options.approve}").`);
  }
  const approval = options.approve as 'auto' | 'ask' | 'deny' | undefined;
  const toolServers = options.mcpConfig ? await readMcpConfig(options.mcpConfig) : [];
  await withClient(cli, { toolServers }, async (client, core) => {
    // Everything is checked before anything is saved: a bad flag creates no chat and changes none.
    const existing = options.session ? await client.call('sessions.resolve', { idPrefix: options.session }) : null;
    const settings = await checkedSettings(client, options, existing);
    const session = !existing
      ? await client.call('sessions.create', { settings })
      : Object.keys(settings).length > 0
        ? await client.call('sessions.updateSettings', { id: existing.id, settings })
        : existing;
    const isNew = existing === null;
    if (!options.json) cli.err.write(`session ${session.id}\n`);

    let runId: string;
    try {
      ({ runId } = await client.call('chat.send', {
        sessionId: session.id,
        text: words.join(' '),
        ...(approval ? { approval } : {}),
        ...(options.overBudget ? { overBudget: true as const } : {}),
      }));
    } catch (error) {
      if (isNew) await discardUnanswered(client, session.id).catch(() => false);
      if (error instanceof ApiError && error.code === 'budget_exceeded') {
        throw new CodaError('budget_exceeded', `${error.message} To send it anyway, add --over-budget.`);
      }
      throw error;
    }
    const { end, stopped } = await followAnswer(cli, client, runId, options.json ?? false);
    // Usage and cost are final once the answer's last save is written.
    await core.chat.settle();
    const saved = (await client.call('messages.path', { sessionId: session.id, leafId: end.message.id, limit: 1 })).messages[0] ?? end.message;

    if (options.json) writeJsonLine(cli.out, { type: 'message', message: saved });
    else cli.out.write('\n');
    const usage = formatUsage(saved);
    if (stopped || saved.status === 'interrupted') {
      cli.err.write(`stopped: the answer so far is saved (${[answeredBy(saved), usage].filter(Boolean).join(' · ')})\n`);
      process.exitCode = EXIT_STOPPED;
    } else if (end.type === 'error') {
      if (!options.json) cli.err.write(`coda: ${end.error.message}\n`);
      // A first message that got no answer leaves nothing worth keeping: no empty "New chat" stays behind.
      if (isNew && (await discardUnanswered(client, session.id))) cli.err.write('The new chat was not kept, since it has no answer.\n');
      process.exitCode = 1;
    } else if (!options.json) {
      cli.err.write(`${[answeredBy(saved), usage].filter(Boolean).join(' · ')}\n`);
    }
  });
}

/** Removes a chat this command created when it holds no answer; core keeps it if it does (a tool ran, say). */
async function discardUnanswered(client: CodaClient, sessionId: string): Promise<boolean> {
  try {
    await client.call('sessions.discard', { id: sessionId });
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'conflict') return false;
    throw error;
  }
}
