import { Command, Option } from 'commander';
import { APP_VERSION } from '../version.js';
import { backupCommands } from './backup.js';
import { chatCommand } from './chat.js';
import type { CliContext } from './context.js';
import { contextCommands } from './context-show.js';
import { exportCommand } from './export.js';
import { feedbackCommand } from './feedback.js';
import { importCommand } from './import.js';
import { mergeCommand } from './merge.js';
import { modelsCommands } from './models.js';
import { searchCommand } from './search.js';
import { summarizeCommand } from './summarize.js';
import { serveCommand } from './serve.js';
import { toolsCommands } from './tools.js';
import { sessionsCommands } from './sessions.js';
import { compareCommand } from './compare.js';
import { usageCommand } from './usage.js';

export function buildProgram(context: Omit<CliContext, 'openCore' | 'locations'> & { env: NodeJS.ProcessEnv }): Command {
  const program = new Command('coda')
    .description('Coda Agent: chat with LLMs and keep everything, from the command line.')
    .version(APP_VERSION)
    .addOption(new Option('--data-dir <dir>', "data folder (default: the app's user-data folder)").env('CODA_DATA_DIR'))
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => context.out.write(s), writeErr: (s) => context.err.write(s) });

  const locations = async () => {
    const { defaultDataDir, migrationsFolder } = await import('../paths.js');
    return { dataDir: program.opts<{ dataDir?: string }>().dataDir ?? defaultDataDir(context.env), migrationsDir: migrationsFolder(context.env) };
  };
  const cli: CliContext = {
    ...context,
    locations,
    // Core (and what it loads: the store, providers, tool sources) is imported only by a command that opens it.
    openCore: async (extra = {}) => {
      const [{ createCore }, { dataDir, migrationsDir }] = await Promise.all([import('../core.js'), locations()]);
      return createCore({
        toolServers: extra.toolServers,
        // Remote servers that want a sign-in: a command prints the address and waits; serve mode leaves it to the UI.
        toolSignIn:
          extra.signIn === 'ui'
            ? undefined
            : {
                openSignIn: (url, server) =>
                  void context.err.write(`"${server.label}" asks you to sign in. Open this address in your browser:\n  ${url.href}\n`),
                // Only a terminal has someone to sign in; a script fails at once with the reason.
                waitMs: process.stdin.isTTY ? 5 * 60_000 : 0,
              },
        prestartTools: extra.prestartTools,
        dataDir,
        migrationsDir,
        env: context.env,
        log: (message) => context.err.write(`${message}\n`),
      });
    },
  };
  chatCommand(program, cli);
  sessionsCommands(program, cli);
  compareCommand(program, cli);
  feedbackCommand(program, cli);
  modelsCommands(program, cli);
  toolsCommands(program, cli);
  usageCommand(program, cli);
  searchCommand(program, cli);
  contextCommands(program, cli);
  summarizeCommand(program, cli);
  mergeCommand(program, cli);
  exportCommand(program, cli);
  importCommand(program, cli);
  serveCommand(program, cli);
  backupCommands(program, cli);
  return program;
}

/** Runs the CLI; returns the exit code. Errors are printed as one clear line, never a stack trace. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const program = buildProgram({ out: process.stdout, err: process.stderr, env });
  program.exitOverride();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error && typeof error === 'object' && 'exitCode' in error && typeof error.exitCode === 'number') return error.exitCode;
    process.stderr.write(`coda: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
