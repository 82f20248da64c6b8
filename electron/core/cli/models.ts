import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { writeJsonLine } from './output.js';
import { withClient } from './with-client.js';

export function modelsCommands(program: Command, cli: CliContext): void {
  program
    .command('models')
    .description('models of the configured providers')
    .command('list')
    .description("list models (the providers' own lists merged with the built-in catalog)")
    .option('--provider <provider>', 'only this provider (openai, anthropic, gemini, azure, ollama, lmstudio, vllm, llamacpp, openrouter)')
    .option('--refresh', 'ask the providers again instead of using the cached lists')
    .option('--json', 'print JSON')
    .action((options: { provider?: string; refresh?: boolean; json?: boolean }) =>
      withClient(cli, {}, async (client) => {
        const result = await client.call('models.list', { provider: options.provider, refresh: options.refresh ?? false });
        if (options.json) return writeJsonLine(cli.out, result);
        for (const e of result.errors) cli.err.write(`coda: could not list ${e.provider} models: ${e.error.message}\n`);
        if (result.models.length === 0) cli.err.write('No models: configure a provider first (see README, "Configure a model").\n');
        for (const m of result.models) {
          const window = m.info ? `${Math.round(m.info.contextWindow / 1000)}k ctx` : '';
          const price = m.price ? `$${m.price.input} in / $${m.price.output} out per M` : 'price unknown';
          cli.out.write(`${`${m.provider}/${m.id}`.padEnd(48)} ${window.padEnd(10)} ${price}\n`);
        }
      }),
    );
}
