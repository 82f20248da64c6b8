import type { Command } from 'commander';
import type { ChatOptions } from './chat-action.js';
import type { CliContext } from './context.js';

export function chatCommand(program: Command, cli: CliContext): void {
  program
    .command('chat')
    .description('send a message and stream the answer to stdout')
    .argument('<text...>', 'the message')
    .option('--session <id>', 'continue this session (its id, or the start of it; default: start a new one)')
    .option('--provider <provider>', 'provider for the session: openai, anthropic, gemini, azure, ollama, lmstudio, vllm, llamacpp, openrouter')
    .option('--model <model>', 'model for the session')
    .option('--system <text>', 'system prompt for the session')
    .option(
      '--fallback <provider/model>',
      'answer with this instead when the main provider fails before answering (repeat for a chain)',
      (value: string, all: string[] = []) => [...all, value],
    )
    .option('--approve <mode>', "tools: auto (run without asking), ask (ask here for each call), deny (run none); default: each tool's setting")
    .option('--mcp-config <file>', 'also use the MCP servers of this Claude Desktop config file (for this command only)')
    .option('--json', 'print one JSON event per line; the last line is the saved answer')
    .option('--over-budget', 'send although a spending limit set to block is reached (this message only)')
    // The command's code (and core behind it) loads only when it runs, so `coda --help` stays quick.
    .action(async (words: string[], options: ChatOptions) => (await import('./chat-action.js')).runChat(cli, words, options));
}
