import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../electron/core/core.js';
import { startServer } from '../electron/core/serve/serve.js';
import { scriptedEnv } from '../tests/helpers/core.js';
import { ScriptedProviderServer } from '../tests/provider-server/server.js';
import { collectGarbage, gc } from './lib/gc.js';
import { memoryNow } from './lib/memory.js';
import { createResult } from './lib/report.js';
import { CHUNKS, CHUNKS_PER_SECOND, chunkText, measureDelivery } from './lib/stream-delivery.js';
import { connectMemory, connectWebSocket, log, PROVIDERS, rendererDir, type Bench } from './lib/stream-harness.js';
import {
  HISTORY_ANSWER_CHARS,
  HISTORY_EXCHANGES,
  HISTORY_ROUNDS,
  measureTtft,
  PAUSE_AFTER_FIRST_TOKEN_MS,
  SHORT_ANSWER,
  TTFT_ROUNDS,
  TTFT_WARMUP,
} from './lib/stream-ttft.js';
import type { BenchResult, Check, Measure, Throughput } from './lib/types.js';

/**
 * What the app adds to a streamed answer, per provider, against one local scripted server speaking each wire
 * format: time to first token through the whole path (chat.send over serve mode's WebSocket, run registry,
 * socket, client) next to the SDK called directly, and delivery of 4,000 chunks paced at 2,000/s.
 */

export const description = 'streaming path: time to first token added over the SDK, 2,000 chunks/s delivery (WebSocket, per provider)';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(benchDir, '..');
const migrationsDir = path.join(rootDir, 'resources', 'migrations');
const builtRendererDir = path.join(rootDir, 'out', 'renderer');

export async function run(): Promise<BenchResult> {
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
  };
  try {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'coda-bench-stream-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const renderer = await rendererDir(builtRendererDir);
    if (renderer.temporary) cleanups.push(() => rm(renderer.dir, { recursive: true, force: true }));

    const provider = await new ScriptedProviderServer().listen();
    cleanups.push(() => provider.close());
    // As serve mode opens it: keys and endpoints from the environment, preferences in the data folder, the default
    // resilience policy (its timers and wrappers are part of what the app adds). Chats without tools, since the SDK
    // baseline sends none: the comparison is of the same request.
    const core = await createCore({ dataDir, migrationsDir, env: scriptedEnv(provider), log, defaultSettings: { enabledTools: [] } });
    cleanups.push(() => core.close());
    const server = await startServer({ core, rendererDir: renderer.dir, port: 0, log });
    cleanups.push(() => server.close());
    const ws = await connectWebSocket(server);
    cleanups.push(() => ws.close());
    const memory = connectMemory(core);
    cleanups.push(() => memory.close());
    const bench: Bench = { core, provider, ws, memory };

    const measures: Measure[] = [];
    const throughput: Throughput[] = [];
    const checks: Check[] = [];
    log('Time to first token, new chats...');
    const fresh = await measureTtft(bench, 'fresh', ['sdk', 'ws', 'memory'], TTFT_ROUNDS);
    log(`Time to first token, ${HISTORY_EXCHANGES * 2}-message history...`);
    const history = await measureTtft(bench, 'history', ['sdk', 'ws'], HISTORY_ROUNDS);
    for (const p of PROVIDERS) {
      const mine = (m: { id: string }) => m.id.endsWith(`.${p.id}`);
      measures.push(...fresh.measures.filter(mine), ...history.measures.filter(mine));
      checks.push(...fresh.checks.filter(mine), ...history.checks.filter(mine));
    }

    await collectGarbage();
    const before = memoryNow();
    for (const p of PROVIDERS) {
      log(`${CHUNKS.toLocaleString('en-US')} chunks at ${CHUNKS_PER_SECOND.toLocaleString('en-US')}/s, ${p.id}...`);
      const delivery = await measureDelivery(bench, p);
      measures.push(...delivery.measures);
      throughput.push(delivery.throughput);
      checks.push(...delivery.checks);
    }
    const afterNoGc = memoryNow();
    await collectGarbage();
    const after = memoryNow();

    return createResult('stream', rootDir, {
      dataset: {
        providers: PROVIDERS.map((p) => `${p.id} (${p.model})`).join(', '),
        process: 'scripted provider server, core, serve mode (WebSocket) and client in one Node process, on loopback',
        renderer: renderer.temporary ? 'temporary placeholder (out/renderer not built)' : 'out/renderer',
        ttft: {
          warmupRounds: TTFT_WARMUP,
          rounds: TTFT_ROUNDS,
          historyRounds: HISTORY_ROUNDS,
          answerChunks: SHORT_ANSWER.length,
          pauseAfterFirstTokenMs: PAUSE_AFTER_FIRST_TOKEN_MS,
          history: `${HISTORY_EXCHANGES * 2} messages, answers of ~${HISTORY_ANSWER_CHARS} chars`,
          pairing: 'each round runs every path once, in rotating order; added = app - SDK of the same round',
          coldFirstRoundMs: { provider: PROVIDERS[0]!.id, ...fresh.coldRound },
        },
        delivery: { chunks: CHUNKS, chunksPerSecond: CHUNKS_PER_SECOND, chunkText: `"${chunkText(0)}" .. "${chunkText(CHUNKS - 1)}"` },
        memory: {
          note: 'process totals (provider server, core, socket server and client together) around the three delivery runs',
          gcAvailable: gc !== null,
          beforeRunsAfterGc: before,
          afterRuns: afterNoGc,
          afterRunsAfterGc: after,
        },
      },
      measures,
      throughput,
      checks,
    });
  } finally {
    await cleanup();
  }
}
