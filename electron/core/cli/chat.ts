import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { CodaError, defaultModels, type Message, type MethodOutput, type Result, type RunEvent } from '../../../shared/index.js';
import type { HttpServerConfig, StdioServerConfig } from '../tools/mcp-connection.js';
import { parseClaudeDesktopConfig } from '../tools/claude-config.js';
import { answerOnTerminal } from './elicit-prompt.js';
import type { CliContext } from './context.js';
import { formatUsage, writeJsonLine } from './output.js';

interface ChatOptions {
  session?: string;
  provider?: string;
  model?: string;
  system?: string;
  fallback?: string[];
  approve?: string;
  mcpConfig?: string;
  json?: boolean;
}

export function chatCommand(program: Command, cli: CliContext): void {
  program
    .command('chat')
    .description('send a message and stream the answer to stdout')
    .argument('<text...>', 'the message')
    .option('--session <id>', 'continue this session (default: start a new one)')
    .option('--provider <provider>', 'provider for the session: openai, anthropic, gemini, azure, ollama, lmstudio, vllm, llamacpp, openrouter')
    .option('--model <model>', 'model for the session')
    .option('--system <text>', 'system prompt for the session')
    .option('--fallback <provider/model>', 'answer with this instead when the main provider fails before answering (repeat for a chain)', (value: string, all: string[] = []) => [...all, value])
    .option('--approve <mode>', 'tools: auto (run without asking), ask (ask here for each call), deny (run none); default: each tool\'s setting')
    .option('--mcp-config <file>', 'also use the MCP servers of this Claude Desktop config file (for this command only)')
    .option('--json', 'print one JSON event per line; the last line is the saved answer')
    .action(async (words: string[], options: ChatOptions) => {
      if (options.approve && !['auto', 'ask', 'deny'].includes(options.approve)) {
        throw new CodaError('validation', `--approve takes auto, ask or deny (got "${options.approve}").`);
      }
      const approval = options.approve as 'auto' | 'ask' | 'deny' | undefined;
      const toolServers = options.mcpConfig ? await readMcpConfig(options.mcpConfig) : [];
      const core = await cli.openCore({ toolServers });
      try {
        const model = options.model ?? (options.provider ? defaultModels[options.provider] : undefined);
        if (options.provider && !model) {
          throw new CodaError('validation', `Say which model with --model for ${options.provider} (see: coda models list --provider ${options.provider}).`);
        }
        const settings = {
          ...(options.provider ? { provider: options.provider } : {}),
          ...(model ? { model } : {}),
          ...(options.system !== undefined ? { systemPrompt: options.system } : {}),
          ...(options.fallback?.length ? { fallbacks: options.fallback.map(parseTarget) } : {}),
        };
        const session = options.session
          ? Object.keys(settings).length > 0
            ? unwrap(await core.invoke('sessions.updateSettings', { id: options.session, settings }))
            : unwrap(await core.invoke('sessions.get', { id: options.session }))
          : unwrap(await core.invoke('sessions.create', { settings }));
        const { id: sessionId } = session as MethodOutput<'sessions.get'>;
        if (!options.json) cli.err.write(`session ${sessionId}\n`);

        const started = unwrap(await core.invoke('chat.send', { sessionId, text: words.join(' '), ...(approval ? { approval } : {}) })) as MethodOutput<'chat.send'>;
        const stop = () => void core.invoke('chat.stop', { runId: started.runId });
        process.once('SIGINT', stop);
        const questions = new Map<string, AbortController>();
        let prompting: Promise<unknown> = Promise.resolve();
        const final = await new Promise<{ message: Message; error: RunEvent | null }>((resolve) => {
          core.subscribe({ topic: 'run', runId: started.runId, afterSeq: 0 }, (raw) => {
            const event = raw as RunEvent;
            if (options.json) writeJsonLine(cli.out, event);
            else if (event.type === 'text-delta') cli.out.write(event.text);
            else if (event.type === 'tool-call') cli.err.write(`\n[tool] ${event.name} ${event.arguments}\n`);
            else if (event.type === 'tools-unavailable') for (const s of event.servers) cli.err.write(`[tools] ${s.label} is not available for this answer: ${s.message}\n`);
            if (event.type === 'approval-request') {
              void askApproval(cli, event).then((allow) => core.invoke('chat.approve', { runId: started.runId, toolCallId: event.toolCallId, allow }));
            }
            if (event.type === 'elicitation-request') {
              const closed = new AbortController();
              questions.set(event.elicitationId, closed);
              // One question at a time on the terminal: another server may ask while this one is being answered.
              prompting = prompting.then(() => answerOnTerminal((m, input) => core.invoke(m, input), started.runId, event, cli.err, closed.signal)).catch(() => undefined);
            }
            if (event.type === 'elicitation-answered') questions.get(event.elicitationId)?.abort();
            if (event.type === 'done') resolve({ message: event.message, error: null });
            if (event.type === 'error') resolve({ message: event.message, error: event });
          });
        });
        process.off('SIGINT', stop);
        await core.chat.settle();
        const saved = (await core.messages.find(final.message.id)) ?? final.message;
        if (options.json) {
          writeJsonLine(cli.out, { type: 'message', message: saved });
        } else {
          cli.out.write('\n');
          const usage = formatUsage(saved);
          if (usage) cli.err.write(`${saved.status === 'interrupted' ? 'stopped; ' : ''}${usage}\n`);
        }
        if (final.error?.type === 'error') {
          if (!options.json) cli.err.write(`coda: ${final.error.error.message}\n`);
          process.exitCode = 1;
        }
      } finally {
        await core.close();
      }
    });
}

export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new CodaError(result.error.code, result.error.message);
  return result.value;
}

/** "anthropic/claude-haiku-4-5" → { provider, model }; the model part may itself contain slashes (OpenRouter). */
function parseTarget(value: string): { provider: string; model: string } {
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1) throw new CodaError('validation', `A fallback is written provider/model, like anthropic/claude-haiku-4-5 (got "${value}").`);
  return { provider: value.slice(0, slash), model: value.slice(slash + 1) };
}

/** The servers of a Claude Desktop config file; passing the file on the command line is the user's consent to start them. */
async function readMcpConfig(file: string): Promise<(StdioServerConfig | HttpServerConfig)[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CodaError('validation', `Cannot read the MCP config ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseClaudeDesktopConfig(text).map((server) => {
    const id = server.label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'server';
    return 'url' in server
      ? { id, label: server.label, transport: 'http' as const, url: server.url, headers: server.headers }
      : { id, label: server.label, command: server.command, args: server.args, env: server.env };
  });
}

/** Asks on the terminal; without one (a pipe, CI) nothing can be asked, so the call is refused. */
async function askApproval(cli: CliContext, event: Extract<RunEvent, { type: 'approval-request' }>): Promise<boolean> {
  const question = `Allow ${event.server} › ${event.tool} with ${JSON.stringify(event.arguments)}? [y/N] `;
  if (!process.stdin.isTTY) {
    cli.err.write(`${question}no (no terminal to ask; use --approve auto to allow tools)\n`);
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
