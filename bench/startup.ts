import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { scriptedEnv } from '../tests/helpers/core.js';
import { connectWebSocket } from '../tests/helpers/ws-client.js';
import { textReply } from '../tests/provider-server/script.js';
import { ScriptedProviderServer } from '../tests/provider-server/server.js';
import { createResult } from './lib/report.js';
import { round, summarize, target } from './lib/stats.js';
import type { BenchResult, Check, LatencyStats, Measure } from './lib/types.js';

/**
 * Cold start of the built CLI, each process started fresh as a user's shell starts it: `coda --help`, a one-shot
 * `coda chat` against the scripted provider server (which answers at once), and serve mode until it answers a call
 * over its WebSocket. Each is also given as a ratio to `node -e 0` measured in the same rounds.
 */

export const description = 'cold start of the built CLI: --help, a one-shot chat, serve mode ready (vs node -e 0)';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(benchDir, '..');
const codaBin = path.join(rootDir, 'bin', 'coda.js');
const ROUNDS = Number(process.env.CODA_BENCH_STARTUP_ROUNDS ?? 15);
const WARMUP_ROUNDS = 2;

const HELP_TARGET_MS = 200;
const CHAT_ADDED_TARGET_MS = 500;
const SERVE_READY_TARGET_MS = 500;

interface Spawned {
  /** From spawn to exit. */
  wallMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts `node args…` and waits for it to exit; `onStdout` sees output as it arrives (serve mode is ended from there). */
function runNode(args: string[], env: NodeJS.ProcessEnv, onStdout?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ wallMs: performance.now() - started, code, stdout, stderr }));
  });
}

/** The environment a user's shell would give, every provider pointed at the scripted server, and nothing of this process's Coda settings. */
function userEnv(provider: ScriptedProviderServer): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(CODA_|OPENAI_|ANTHROPIC_|GEMINI_|GOOGLE_|AZURE_|OLLAMA_|OPENROUTER_|LMSTUDIO_|VLLM_|LLAMACPP_|NODE_OPTIONS)/.test(name)) env[name] = value;
  }
  return { ...env, ...scriptedEnv(provider) };
}

export async function run(): Promise<BenchResult> {
  if (!existsSync(path.join(rootDir, 'out', 'main', 'cli.js'))) throw new Error('The CLI is not built: run "npm run build" first.');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'coda-bench-startup-'));
  const provider = await new ScriptedProviderServer().listen();
  const env = userEnv(provider);
  const failures: string[] = [];
  const expectOk = (what: string, result: Spawned) => {
    if (result.code !== 0) failures.push(`${what} exited ${result.code}: ${result.stderr.trim().split('\n').at(-1) ?? ''}`);
  };

  // The request's arrival at the scripted server, to split a chat's time into "before the request" and "after".
  let requestAt = 0;
  const countRequests = () => provider.requests.filter((r) => r.body['stream'] === true).length;

  const chat = async (dir: string): Promise<{ run: Spawned; toRequestMs: number }> => {
    provider.enqueue(textReply('Paris.', { input: 12, output: 2 }));
    // The title of a new chat is asked for once the answer is in.
    provider.enqueueCompletion({ kind: 'completion', text: 'Capital of France' });
    const before = countRequests();
    const poll = setInterval(() => {
      if (requestAt === 0 && countRequests() > before) requestAt = performance.now();
    }, 1);
    const started = performance.now();
    requestAt = 0;
    try {
      const result = await runNode(
        [codaBin, '--data-dir', dir, 'chat', '--provider', 'openai', '--model', 'gpt-4o-mini', 'What is the capital of France?'],
        env,
      );
      expectOk('chat', result);
      if (!result.stdout.includes('Paris.')) failures.push(`chat printed ${JSON.stringify(result.stdout)}`);
      return { run: result, toRequestMs: requestAt > 0 ? requestAt - started : Number.NaN };
    } finally {
      clearInterval(poll);
    }
  };

  const serveReady = async (): Promise<{ readyMs: number; run: Spawned }> => {
    const started = performance.now();
    let readyMs = Number.NaN;
    let asked = false;
    const result = await runNode([codaBin, '--data-dir', dataDir, 'serve', '--port', '0'], env, (stdout, child) => {
      const url = /serving at (http:\/\/\S+)/.exec(stdout)?.[1];
      if (!url || asked) return;
      asked = true;
      const address = new URL(url);
      void (async () => {
        try {
          const ws = await connectWebSocket(`ws://127.0.0.1:${address.port}/ws?token=${address.searchParams.get('token') ?? ''}`);
          await ws.client.call('sessions.list', { limit: 1 });
          readyMs = performance.now() - started;
          await ws.close();
        } catch (error) {
          failures.push(`serve: ${String(error)}`);
        } finally {
          child.kill('SIGTERM');
        }
      })();
    });
    expectOk('serve', result);
    return { readyMs, run: result };
  };

  const samples = {
    node: [] as number[],
    help: [] as number[],
    chat: [] as number[],
    chatToRequest: [] as number[],
    chatAdded: [] as number[],
    serve: [] as number[],
    firstChat: [] as number[],
  };
  try {
    // The data folder exists before the timed rounds: a user's second and later commands (the first one also creates
    // the database, timed apart below).
    expectOk('first chat', (await chat(dataDir)).run);

    for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
      const timed = round >= WARMUP_ROUNDS;
      const node = await runNode(['-e', '0'], env);
      const help = await runNode([codaBin, '--help'], env);
      expectOk('--help', help);
      if (!help.stdout.includes('Usage: coda')) failures.push('--help printed no usage');
      const oneShot = await chat(dataDir);
      const serve = await serveReady();
      if (!timed) continue;
      samples.node.push(node.wallMs);
      samples.help.push(help.wallMs);
      samples.chat.push(oneShot.run.wallMs);
      samples.chatToRequest.push(oneShot.toRequestMs);
      samples.chatAdded.push(oneShot.run.wallMs - node.wallMs);
      samples.serve.push(serve.readyMs);
    }
    // A new user's very first command, which creates the data folder and database.
    for (let i = 0; i < 5; i++) {
      const fresh = await mkdtemp(path.join(tmpdir(), 'coda-bench-startup-fresh-'));
      try {
        const first = await chat(fresh);
        samples.firstChat.push(first.run.wallMs);
      } finally {
        await rm(fresh, { recursive: true, force: true });
      }
    }
  } finally {
    await provider.close();
    await rm(dataDir, { recursive: true, force: true });
  }

  const node = summarize(samples.node);
  const ratio = (stats: LatencyStats) => round(stats.p50 / node.p50, 2);
  const measure = (id: string, label: string, values: number[], maxMs: number | null, info: Measure['info'] = {}): Measure => {
    const ms = summarize(values);
    return { id, label, ms, target: maxMs === null ? null : target(ms, maxMs, 'p50'), info: { ...info, ratioToNodeP50: ratio(ms) } };
  };
  const measures: Measure[] = [
    measure('node', 'node -e 0 (baseline)', samples.node, null),
    measure('help', 'coda --help, wall time', samples.help, HELP_TARGET_MS),
    measure('chat.wall', 'coda chat one-shot, wall time', samples.chat, null),
    measure('chat.added', 'coda chat one-shot, wall time minus node -e 0 of the same round', samples.chatAdded, CHAT_ADDED_TARGET_MS),
    measure('chat.toRequest', 'coda chat: from start until the request reaches the model', samples.chatToRequest, null),
    measure('serve.ready', 'coda serve: from start until a call over the WebSocket is answered', samples.serve, SERVE_READY_TARGET_MS),
    measure('chat.firstRun', 'coda chat on a new data folder (creates the database), wall time', samples.firstChat, null),
  ];
  const checks: Check[] = [
    {
      id: 'commands.ok',
      label: 'every command exited 0 and printed what it should',
      pass: failures.length === 0,
      detail: failures.length === 0 ? 'all ok' : failures.slice(0, 3).join('; '),
    },
  ];
  return createResult('startup', rootDir, {
    dataset: {
      rounds: ROUNDS,
      warmupRounds: WARMUP_ROUNDS,
      stat: 'p50 (wall time of separate processes; ratios are p50 over the p50 of node -e 0)',
      cli: 'node bin/coda.js (out/main/cli.js, built by npm run build)',
      chat: 'coda chat --provider openai --model gpt-4o-mini <question>, default tools on, scripted server answers at once',
    },
    measures,
    checks,
  });
}
