import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';

const run = promisify(execFile);
export const cliEntry = fileURLToPath(new URL('../../electron/core/cli/entry.ts', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a user would, in its own process; never throws, returns what it printed and its exit code. */
export async function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cliEntry, ...args], { env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** A CLI process to talk to while it runs: what it printed so far, a way to wait for some of it, and its exit code. */
export interface LiveCli {
  child: ChildProcessWithoutNullStreams;
  output(): string;
  waitFor(pattern: RegExp): Promise<void>;
  exit: Promise<number | null>;
}

/**
 * Starts a CLI command in its own process. With `terminal`, it runs under `script` (util-linux), so it has a real
 * pseudo-terminal on stdin and stdout/stderr (both arrive on `output`), and what is written to `child.stdin` is typed.
 */
export function startCli(args: string[], env: Record<string, string>, options: { terminal?: boolean; umask?: string } = {}): LiveCli {
  const argv = [process.execPath, '--import', 'tsx', cliEntry, ...args];
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const command = `${options.umask ? `umask ${options.umask}; ` : ''}exec ${quoted}`;
  const child = options.terminal
    ? spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, ...env } })
    : options.umask
      ? spawn('sh', ['-c', command], { env: { ...process.env, ...env } })
      : spawn(argv[0]!, argv.slice(1), { env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    waitFor: (pattern) => expect.poll(() => output, { timeout: 120_000, interval: 50 }).toMatch(pattern),
    exit,
  };
}
