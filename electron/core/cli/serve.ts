import type { Command } from 'commander';
import { parsePort, type CliContext } from './context.js';

export function serveCommand(program: Command, cli: CliContext): void {
  program
    .command('serve')
    .description('serve the app to a browser on 127.0.0.1 (headless mode)')
    .option('--port <n>', 'port; 0 picks a free one', parsePort, 4477)
    .action(async (options: { port: number }) => {
      const [core, { startServer }, { rendererFolder }] = await Promise.all([
        cli.openCore({ signIn: 'ui' }),
        import('../serve/serve.js'),
        import('../paths.js'),
      ]);
      let server;
      try {
        server = await startServer({ core, rendererDir: rendererFolder(), port: options.port, log: (m) => cli.err.write(`${m}\n`) });
      } catch (error) {
        await core.close();
        throw error;
      }
      cli.out.write(`Coda Agent is serving at ${server.url}\n`);
      // Once it answers: the tool servers' start (the MCP client's modules, the processes) does not delay that.
      core.prestartTools();
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      // Answers in flight are saved as interrupted; a second Ctrl-C or SIGTERM does not wait for that.
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      await server.close();
      await core.close();
    });
}
