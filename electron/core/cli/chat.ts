import type { Command } from 'commander';
import { CodaError, defaultModels, type Message, type MethodOutput, type Result, type RunEvent } from '../../../shared/index.js';
import type { CliContext } from './main.js';
import { formatUsage, writeJsonLine } from './output.js';

interface ChatOptions {
  session?: string;
  provider?: string;
  model?: string;
  system?: string;
  fallback?: string[];
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
    .option('--json', 'print one JSON event per line; the last line is the saved answer')
    .action(async (words: string[], options: ChatOptions) => {
      const core = await cli.openCore();
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

        const started = unwrap(await core.invoke('chat.send', { sessionId, text: words.join(' ') })) as MethodOutput<'chat.send'>;
        const stop = () => void core.invoke('chat.stop', { runId: started.runId });
        process.once('SIGINT', stop);
        const final = await new Promise<{ message: Message; error: RunEvent | null }>((resolve) => {
          core.subscribe({ topic: 'run', runId: started.runId, afterSeq: 0 }, (raw) => {
            const event = raw as RunEvent;
            if (options.json) writeJsonLine(cli.out, event);
            else if (event.type === 'text-delta') cli.out.write(event.text);
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
