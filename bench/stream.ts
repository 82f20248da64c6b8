import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenerativeAI } from '@google/generative-ai';
import OpenAI from 'openai';
import WebSocket from 'ws';
import { SocketClient, type AnySubscriptionEvent, type Message, type RunEvent, type Session } from '../shared/index.js';
import { createCore, type Core } from '../electron/core/core.js';
import { startServer, type RunningServer } from '../electron/core/serve/serve.js';
import { connectInMemory } from '../electron/core/transport/in-memory.js';
import { scriptedEnv } from '../tests/helpers/core.js';
import type { ProviderName, StreamScript } from '../tests/provider-server/script.js';
import { ScriptedProviderServer } from '../tests/provider-server/server.js';
import { collectGarbage, gc } from './lib/gc.js';
import { createResult } from './lib/report.js';
import { round, summarize, target } from './lib/stats.js';
import { createTextGenerator } from './lib/text.js';
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

interface ProviderSpec {
  id: ProviderName;
  model: string;
}

const PROVIDERS: readonly ProviderSpec[] = [
  { id: 'openai', model: 'gpt-4.1-mini' },
  { id: 'anthropic', model: 'claude-sonnet-4-6' },
  { id: 'gemini', model: 'gemini-2.5-flash' },
];

const TTFT_WARMUP = 20;
const TTFT_ROUNDS = 120;
/**
 * A conversation of this many exchanges (answers of about HISTORY_ANSWER_CHARS), sent whole with every question:
 * with the question that is 199 turns, inside the 200 the chat service sends.
 */
const HISTORY_EXCHANGES = 99;
const HISTORY_ANSWER_CHARS = 1_500;
const HISTORY_SEED = 20_260_101;
const HISTORY_ROUNDS = 100;
/** A fast model's time between tokens. */
const PAUSE_AFTER_FIRST_TOKEN_MS = 10;
const TARGET_ADDED_TTFT_MS = 5;
const QUESTION = 'What does a write-ahead log do, in two sentences?';
const SHORT_ANSWER = ['A write-ahead ', 'log records ', 'every change ', 'before it is ', 'applied, so a ', 'crash can be ', 'recovered ', 'by replaying it.'];
const USAGE = { input: 24, output: 120 };

const CHUNKS = 4_000;
const CHUNKS_PER_SECOND = 2_000;
const TARGET_LAG_P95_MS = 50;
/** The lag of the last tenth of the chunks may exceed the first tenth's by this much before the client counts as falling behind. */
const GROWTH_ALLOWANCE_MS = 10;
/** ProgressSaver saves every 250 ms; the allowance covers timer lateness and the write itself. */
const SAVE_INTERVAL_MS = 250;
const SAVE_GAP_ALLOWANCE_MS = 10;
/** Chunk i's text; the client reads the index back to check order, loss and duplicates, and to time each chunk. */
const chunkText = (i: number) => ` t${i}`;
const CHUNK_INDEX = /t(\d+)/g;

const log = (line: string) => console.log(line);

interface Client {
  client: SocketClient;
  close(): Promise<void>;
}

interface Bench {
  core: Core;
  provider: ScriptedProviderServer;
  ws: Client;
  memory: Client;
}

export async function run(): Promise<BenchResult> {
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
  };
  try {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'coda-bench-stream-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const renderer = await rendererDir();
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

/** Serve mode needs a built renderer; without one a placeholder page will do, since only the socket is used. */
async function rendererDir(): Promise<{ dir: string; temporary: boolean }> {
  if (existsSync(path.join(builtRendererDir, 'index.html'))) return { dir: builtRendererDir, temporary: false };
  const dir = await mkdtemp(path.join(tmpdir(), 'coda-bench-renderer-'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>bench</title>\n');
  return { dir, temporary: true };
}

/** The shared socket client over a real WebSocket to serve mode, as the renderer's ws-bridge drives it. */
async function connectWebSocket(server: RunningServer): Promise<Client> {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
  const client = new SocketClient();
  socket.on('message', (data) => client.receive(String(data)));
  await once(socket, 'open');
  client.connected((text) => socket.send(text));
  // Like the renderer, follow app events (sidebar updates) on the same socket.
  client.subscribe({ topic: 'app' }, () => {});
  return {
    client,
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      const closed = once(socket, 'close');
      socket.close();
      await closed;
      client.disconnected();
    },
  };
}

function connectMemory(core: Core): Client {
  const { client, disconnect } = connectInMemory(core);
  client.subscribe({ topic: 'app' }, () => {});
  return { client, close: async () => disconnect() };
}

async function newSession(core: Core, p: ProviderSpec, title: string): Promise<Session> {
  // A user title, so no title is generated in the background after the first answer.
  const result = await core.invoke('sessions.create', { title, settings: { provider: p.id, model: p.model } });
  if (!result.ok) throw new Error(`sessions.create failed: ${result.error.message}`);
  return result.value as Session;
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Time to first token

interface TtftSample {
  /** From the request (SDK call or chat.send invoke) to the first text delta in the caller's hands. */
  total: number;
  /** From the request to the scripted server writing the first text chunk. */
  toFirstChunk: number;
  /** From that write to the first text delta in the caller's hands. */
  fromFirstChunk: number;
}

type TtftPath = 'sdk' | 'ws' | 'memory';
type Turn = { role: 'user' | 'assistant'; content: string };

/** Where an answer is asked: the turns sent before the question, and the session and parent the app answers in. */
interface Conversation {
  id: 'fresh' | 'history';
  label: string;
  history: Turn[];
  place(): Promise<{ sessionId: string; parentId?: string }>;
}

function freshConversation(core: Core, p: ProviderSpec): Conversation {
  return {
    id: 'fresh',
    label: 'new chat',
    history: [],
    // A new session each time, so every request carries only the question.
    place: async () => ({ sessionId: (await newSession(core, p, 'bench: ttft')).id }),
  };
}

/** A session holding HISTORY_EXCHANGES answered exchanges; every question branches off its last answer, so each request carries the same history. */
async function historyConversation(core: Core, p: ProviderSpec): Promise<Conversation> {
  const session = await newSession(core, p, `bench: ttft, ${HISTORY_EXCHANGES * 2}-message history`);
  const text = createTextGenerator(HISTORY_SEED);
  const history: Turn[] = [];
  let parent: Message | null = null;
  for (let i = 0; i < HISTORY_EXCHANGES; i++) {
    const question = text.message('user');
    const answer = text.answer(HISTORY_ANSWER_CHARS);
    const { assistant } = await core.messages.addExchange(session.id, parent, question, { provider: p.id, model: p.model, estimatedInputTokens: null, traceId: null });
    parent = await core.messages.finish(assistant.id, {
      status: 'complete',
      provider: p.id,
      model: p.model,
      route: [],
      estimatedInputTokens: null,
      text: answer,
      reasoning: '',
      usage: null,
      costUsd: null,
      providerResponseId: null,
      firstTokenAt: Date.now(),
      error: null,
    });
    history.push({ role: 'user', content: question }, { role: 'assistant', content: answer });
  }
  const leafId = parent!.id;
  return {
    id: 'history',
    label: `${HISTORY_EXCHANGES * 2}-message history`,
    history,
    place: async () => ({ sessionId: session.id, parentId: leafId }),
  };
}

const ORDERS: Record<'three' | 'two', TtftPath[][]> = {
  three: [
    ['sdk', 'ws', 'memory'],
    ['ws', 'memory', 'sdk'],
    ['memory', 'sdk', 'ws'],
    ['sdk', 'memory', 'ws'],
    ['ws', 'sdk', 'memory'],
    ['memory', 'ws', 'sdk'],
  ],
  two: [
    ['sdk', 'ws'],
    ['ws', 'sdk'],
  ],
};

interface TtftSeries {
  p: ProviderSpec;
  conversation: Conversation;
  sdkTurns: Turn[];
  sdk: SdkStreamer;
  samples: Record<TtftPath, TtftSample[]>;
  answers: number;
  wrongAnswers: number;
  /** Requests whose conversation did not have the expected number of turns (the app and the SDK must send the same). */
  wrongRequests: number;
}

interface TtftRun {
  measures: Measure[];
  checks: Check[];
  /** Round 0 of the first provider, before any warm-up: what the first answer after start costs. */
  coldRound: Partial<Record<TtftPath, number>>;
}

/**
 * Every round runs each provider (in rotating order), and for each every path once (in rotating order), so warm-up,
 * drift and order effects fall on all of them alike; `added` pairs the app and the SDK of the same round.
 */
async function measureTtft(bench: Bench, kind: Conversation['id'], paths: TtftPath[], rounds: number): Promise<TtftRun> {
  const series: TtftSeries[] = [];
  for (const p of PROVIDERS) {
    const conversation = kind === 'fresh' ? freshConversation(bench.core, p) : await historyConversation(bench.core, p);
    series.push({
      p,
      conversation,
      sdkTurns: [...conversation.history, { role: 'user', content: QUESTION }],
      sdk: sdkStreamer(bench.provider, p),
      samples: { sdk: [], ws: [], memory: [] },
      answers: 0,
      wrongAnswers: 0,
      wrongRequests: 0,
    });
  }
  const runOnce = async (s: TtftSeries, which: TtftPath): Promise<TtftSample> => {
    const result =
      which === 'sdk'
        ? await sdkTtft(bench.provider, s.p.id, () => s.sdk(s.sdkTurns, new AbortController().signal))
        : await appTtft(bench, which === 'ws' ? bench.ws : bench.memory, s.p, s.conversation);
    s.answers += 1;
    if (result.text !== SHORT_ANSWER.join('')) s.wrongAnswers += 1;
    if (result.turns !== s.sdkTurns.length) s.wrongRequests += 1;
    return result.sample;
  };
  const orders = ORDERS[paths.length === 3 ? 'three' : 'two'];
  const coldRound: Partial<Record<TtftPath, number>> = {};
  for (let r = 0; r < TTFT_WARMUP + rounds; r++) {
    for (let k = 0; k < series.length; k++) {
      const s = series[(r + k) % series.length]!;
      for (const which of orders[r % orders.length]!) {
        const sample = await runOnce(s, which);
        if (r === 0 && k === 0) coldRound[which] = round(sample.total);
        if (r >= TTFT_WARMUP) s.samples[which].push(sample);
      }
    }
  }
  const out: TtftRun = { measures: [], checks: [], coldRound };
  for (const s of series) {
    const { measures, check } = reportTtft(s, paths);
    out.measures.push(...measures);
    out.checks.push(check);
  }
  return out;
}

function reportTtft(s: TtftSeries, paths: TtftPath[]): { measures: Measure[]; check: Check } {
  const { p, conversation, samples } = s;
  const stat = (which: TtftPath, field: keyof TtftSample) => summarize(samples[which].map((x) => x[field]));
  const added = (which: TtftPath, field: keyof TtftSample) => summarize(samples[which].map((x, i) => x[field] - samples.sdk[i]![field]));
  const breakdown = (which: TtftPath) => ({
    toFirstChunkAddedP50Ms: added(which, 'toFirstChunk').p50,
    fromFirstChunkAddedP50Ms: added(which, 'fromFirstChunk').p50,
    appToFirstChunkP50Ms: stat(which, 'toFirstChunk').p50,
    appFromFirstChunkP50Ms: stat(which, 'fromFirstChunk').p50,
    sdkToFirstChunkP50Ms: stat('sdk', 'toFirstChunk').p50,
    sdkFromFirstChunkP50Ms: stat('sdk', 'fromFirstChunk').p50,
  });
  const prefix = conversation.id === 'fresh' ? 'ttft' : `ttft.${conversation.id}`;
  const where = conversation.id === 'fresh' ? '' : `, ${conversation.label}`;
  const pathLabel: Record<TtftPath, string> = { sdk: 'SDK directly', ws: 'app over WebSocket', memory: 'app in memory' };
  const measures: Measure[] = paths.map((which) => ({ id: `${prefix}.${which}.${p.id}`, label: `${p.id}: TTFT${where}, ${pathLabel[which]}`, ms: stat(which, 'total'), target: null }));
  const line: string[] = [];
  for (const which of paths.filter((w) => w !== 'sdk')) {
    const ms = added(which, 'total');
    line.push(`${which === 'ws' ? 'WebSocket' : 'in-memory'} ${ms.p50}/${ms.p95} ms`);
    measures.push({
      id: `${prefix}.added.${which}.${p.id}`,
      label: `${p.id}: TTFT added${where}, ${which === 'ws' ? 'WebSocket' : 'in-memory'} - SDK`,
      ms,
      // The target is on the real path (WebSocket); in-memory is there to tell the socket's share apart.
      target: which === 'ws' ? target(ms, TARGET_ADDED_TTFT_MS, 'p50') : null,
      info: {
        note:
          which === 'ws'
            ? 'paired by round: chat.send invoke to first text-delta at the WebSocket client, minus SDK call to first delta'
            : 'the same path without the socket (connectInMemory), for comparison',
        ...breakdown(which),
      },
    });
  }
  log(`  ${p.id}, ${conversation.label}: SDK p50 ${stat('sdk', 'total').p50} ms; added p50/p95: ${line.join(', ')}`);
  return {
    measures,
    check: {
      id: `${prefix}.answers.${p.id}`,
      label: `${p.id}: TTFT answers complete${where}`,
      pass: s.wrongAnswers === 0 && s.wrongRequests === 0,
      detail:
        `${s.answers - s.wrongAnswers}/${s.answers} answers streamed whole, ` +
        `${s.answers - s.wrongRequests}/${s.answers} requests sent ${s.sdkTurns.length} turn${s.sdkTurns.length === 1 ? '' : 's'}`,
    },
  };
}

/**
 * The short answer: its first chunk, then a pause like a real model's time between tokens (so the work the rest of
 * the answer causes does not compete with delivering the first one in this single process), then the rest.
 */
function shortScript(onFirstChunk: (at: number) => void): StreamScript {
  const [first, ...rest] = SHORT_ANSWER;
  return {
    kind: 'stream',
    steps: [{ text: first! }, { wait: PAUSE_AFTER_FIRST_TOKEN_MS }, ...rest.map((text) => ({ text }))],
    usage: USAGE,
    onStepSent: (index, at) => {
      if (index === 0) onFirstChunk(at);
    },
  };
}

/** Text deltas from the provider's SDK, called as the adapter calls it (same client options and request shape). */
type SdkStreamer = (turns: Turn[], signal: AbortSignal) => AsyncIterable<string>;

function sdkStreamer(server: ScriptedProviderServer, p: ProviderSpec): SdkStreamer {
  const timeout = 10 * 60_000;
  switch (p.id) {
    case 'openai': {
      const client = new OpenAI({ apiKey: 'sk-test-openai', baseURL: `${server.url}/v1`, maxRetries: 0, timeout });
      return async function* (turns, signal) {
        const stream = await client.chat.completions.create(
          { model: p.model, messages: turns.map((t) => ({ role: t.role, content: t.content })), stream: true, stream_options: { include_usage: true } },
          { signal },
        );
        for await (const chunk of stream) {
          const delta = chunk.choices[0]?.delta.content;
          if (delta) yield delta;
        }
      };
    }
    case 'anthropic': {
      const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.url, maxRetries: 0, timeout });
      return async function* (turns, signal) {
        const messages = turns.map((t) => ({ role: t.role, content: [{ type: 'text' as const, text: t.content }] }));
        const stream = await client.messages.create({ model: p.model, max_tokens: 8192, messages, stream: true }, { signal });
        for await (const event of stream) {
          if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') yield event.delta.text;
        }
      };
    }
    case 'gemini': {
      const sdk = new GoogleGenerativeAI('gemini-test-key');
      return async function* (turns, signal) {
        // The adapter makes a model object per request, so the baseline does too.
        const model = sdk.getGenerativeModel({ model: p.model, generationConfig: {} }, { baseUrl: server.url, apiVersion: 'v1beta' });
        const contents = turns.map((t) => ({ role: t.role === 'user' ? 'user' : 'model', parts: [{ text: t.content }] }));
        const result = await model.generateContentStream({ contents }, { signal });
        result.response.catch(() => undefined);
        for await (const chunk of result.stream) {
          for (const part of chunk.candidates?.[0]?.content?.parts ?? []) if (part.text) yield part.text;
        }
      };
    }
  }
}

async function sdkTtft(server: ScriptedProviderServer, provider: ProviderName, stream: () => AsyncIterable<string>): Promise<{ sample: TtftSample; text: string; turns: number }> {
  let chunkAt = Number.NaN;
  server.forProvider(provider).enqueue(shortScript((at) => (chunkAt = at)));
  const t0 = performance.now();
  let first = Number.NaN;
  let text = '';
  for await (const delta of stream()) {
    if (Number.isNaN(first)) first = performance.now();
    text += delta;
  }
  const turns = turnsSent(server);
  return { sample: { total: first - t0, toFirstChunk: chunkAt - t0, fromFirstChunk: first - chunkAt }, text, turns };
}

async function appTtft(bench: Bench, via: Client, p: ProviderSpec, conversation: Conversation): Promise<{ sample: TtftSample; text: string; turns: number }> {
  const { sessionId, parentId } = await conversation.place();
  let chunkAt = Number.NaN;
  bench.provider.forProvider(p.id).enqueue(shortScript((at) => (chunkAt = at)));
  const t0 = performance.now();
  let first = Number.NaN;
  let text = '';
  await followRun(via.client, { sessionId, text: QUESTION, ...(parentId ? { parentId } : {}) }, (event) => {
    if (event.type !== 'text-delta') return;
    if (Number.isNaN(first)) first = performance.now();
    text += event.text;
  });
  // The answer is saved before `done`; background work (none expected) settles outside the timing.
  await bench.core.chat.settle();
  const turns = turnsSent(bench.provider);
  return { sample: { total: first - t0, toFirstChunk: chunkAt - t0, fromFirstChunk: first - chunkAt }, text, turns };
}

/** The scripted server keeps every request it got (bodies of 160 kB with the long history); that is not the app's memory. */
function forgetRequests(server: ScriptedProviderServer): void {
  server.requests.length = 0;
}

/** How many turns the last request's conversation had, whichever wire format; then forgets the requests. */
function turnsSent(server: ScriptedProviderServer): number {
  const body = server.requests.at(-1)?.body ?? {};
  forgetRequests(server);
  const turns = body['messages'] ?? body['contents'];
  return Array.isArray(turns) ? turns.length : -1;
}

/**
 * What the renderer does: chat.send, then follow the run from seq 0 (events sent before the subscription are
 * replayed). Resolves with the run's last event and the assistant message id.
 */
async function followRun(
  client: SocketClient,
  input: { sessionId: string; text: string; parentId?: string },
  onEvent: (event: RunEvent) => void,
): Promise<{ end: RunEvent; assistantId: string }> {
  const started = await client.invoke('chat.send', input);
  if (!started.ok) throw new Error(`chat.send failed: ${started.error.code}: ${started.error.message}`);
  const { runId, assistantMessage } = started.value;
  const end = await new Promise<RunEvent>((resolve, reject) => {
    const unsubscribe = client.subscribe(
      { topic: 'run', runId, afterSeq: 0 },
      (event: AnySubscriptionEvent) => {
        if (!('seq' in event)) return;
        onEvent(event);
        if (event.type === 'done' || event.type === 'error') {
          unsubscribe();
          resolve(event);
        }
      },
      (error) => reject(new Error(`run subscription failed: ${error.code}: ${error.message}`)),
    );
  });
  if (end.type === 'error') throw new Error(`The run failed: ${end.error.code}: ${end.error.message}`);
  return { end, assistantId: assistantMessage.id };
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Delivery at 2,000 chunks/s

interface ProgressSave {
  start: number;
  end: number;
  chars: number;
}

async function measureDelivery(
  bench: Bench,
  p: ProviderSpec,
): Promise<{ measures: Measure[]; throughput: Throughput; checks: Check[] }> {
  const { core } = bench;
  const steps = Array.from({ length: CHUNKS }, (_, i) => ({ text: chunkText(i) }));
  const expected = steps.map((s) => s.text).join('');
  const sent = new Float64Array(CHUNKS).fill(Number.NaN);
  const received = new Float64Array(CHUNKS).fill(Number.NaN);
  let duplicates = 0;
  let outOfOrder = 0;
  let lastIndex = -1;
  let seqGaps = 0;
  let lastSeq = 0;
  let deltas = 0;
  let streamed = '';

  const session = await newSession(core, p, `bench: ${CHUNKS_PER_SECOND} chunks/s`);
  // Watch the progress saves the chat service makes (the same repository instance it holds).
  const saves: ProgressSave[] = [];
  const saveProgress = core.messages.saveProgress;
  core.messages.saveProgress = async (...args) => {
    const start = performance.now();
    await saveProgress.apply(core.messages, args);
    saves.push({ start, end: performance.now(), chars: args[1].length });
  };

  const memoryBefore = memoryNow();
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  bench.provider.forProvider(p.id).enqueue({
    kind: 'stream',
    steps,
    usage: { input: 24, output: CHUNKS },
    stepsPerSecond: CHUNKS_PER_SECOND,
    onStepSent: (index, at) => (sent[index] = at),
  });
  loopDelay.enable();
  const t0 = performance.now();
  let run: { end: RunEvent; assistantId: string };
  try {
    run = await followRun(bench.ws.client, { sessionId: session.id, text: 'Count to four thousand.' }, (event) => {
      const now = performance.now();
      if (event.seq !== lastSeq + 1) seqGaps += 1;
      lastSeq = event.seq;
      if (event.type !== 'text-delta') return;
      deltas += 1;
      streamed += event.text;
      for (const match of event.text.matchAll(CHUNK_INDEX)) {
        const index = Number(match[1]);
        if (!Number.isNaN(received[index]!)) duplicates += 1;
        else received[index] = now;
        if (index !== lastIndex + 1) outOfOrder += 1;
        lastIndex = index;
      }
    });
  } finally {
    core.messages.saveProgress = saveProgress;
    loopDelay.disable();
  }
  const doneAt = performance.now();
  await core.chat.settle();
  forgetRequests(bench.provider);
  const memoryAfter = memoryNow();
  const saved = await core.messages.require(run.assistantId);
  const savedText = saved.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  const doneText = run.end.type === 'done' ? run.end.message.content.map((part) => (part.type === 'text' ? part.text : '')).join('') : '';

  // Lag: client receive time minus the server's write time of the same chunk (one process, one clock).
  const period = 1000 / CHUNKS_PER_SECOND;
  const lag: number[] = [];
  const lagVsSchedule: number[] = [];
  const lateness: number[] = [];
  for (let i = 0; i < CHUNKS; i++) {
    lateness.push(sent[i]! - (sent[0]! + i * period));
    if (Number.isNaN(received[i]!)) continue;
    lag.push(received[i]! - sent[i]!);
    lagVsSchedule.push(received[i]! - (sent[0]! + i * period));
  }
  const tenth = Math.max(1, Math.floor(lag.length / 10));
  const firstTenth = summarize(lag.slice(0, tenth));
  const lastTenth = summarize(lag.slice(-tenth));
  const growthMs = round(lastTenth.p50 - firstTenth.p50);
  const lagStats = summarize(lag);
  const missing = CHUNKS - received.filter((t) => !Number.isNaN(t)).length;
  const sendSeconds = (sent[CHUNKS - 1]! - sent[0]!) / 1000;
  const receiveSeconds = (received[CHUNKS - 1]! - received[0]!) / 1000;

  // How long streamed text stayed only in memory: from the first chunk to the first save, between saves, and from
  // the last save to the final one (done).
  const persisted = [sent[0]!, ...saves.map((s) => s.end), doneAt];
  const gaps = persisted.slice(1).map((t, i) => t - persisted[i]!);
  const gapStats = summarize(gaps);
  const growingSaves = saves.every((s, i) => i === 0 || s.chars >= saves[i - 1]!.chars);

  log(
    `  lag p50/p95/p99/max ${lagStats.p50}/${lagStats.p95}/${lagStats.p99}/${lagStats.max} ms, first/last tenth p50 ${firstTenth.p50}/${lastTenth.p50} ms; ` +
      `${CHUNKS - missing}/${CHUNKS} chunks, ${duplicates} duplicates, ${outOfOrder} out of order; ${saves.length} saves, longest gap ${gapStats.max} ms; ` +
      `RSS ${memoryBefore.rssMb} -> ${memoryAfter.rssMb} MB`,
  );

  const mb = (m: MemorySnapshot, prefix: string) => ({ [`${prefix}RssMb`]: m.rssMb, [`${prefix}HeapUsedMb`]: m.heapUsedMb });
  const throughput: Throughput = {
    id: `delivery.${p.id}`,
    label: `${p.id}: ${CHUNKS.toLocaleString('en-US')} chunks at ${CHUNKS_PER_SECOND.toLocaleString('en-US')}/s over WebSocket`,
    seconds: round((doneAt - t0) / 1000, 3),
    perSecond: {
      'chunks sent': round((CHUNKS - 1) / sendSeconds, 1),
      'chunks received': round((CHUNKS - 1 - missing) / receiveSeconds, 1),
      'progress saves': round(saves.length / ((doneAt - t0) / 1000), 2),
    },
    latency: {
      lag: lagStats,
      'lag vs schedule': summarize(lagVsSchedule),
      'server lateness': summarize(lateness),
      'progress save': summarize(saves.map((s) => s.end - s.start)),
    },
    info: {
      chunks: CHUNKS,
      received: CHUNKS - missing,
      missing,
      duplicates,
      outOfOrder,
      seqGaps,
      textDeltaEvents: deltas,
      lagFirstTenthP50Ms: firstTenth.p50,
      lagLastTenthP50Ms: lastTenth.p50,
      lagGrowthMs: growthMs,
      progressSaves: saves.length,
      longestUnsavedMs: gapStats.max,
      eventLoopDelayP99Ms: round(loopDelay.percentile(99) / 1e6, 2),
      eventLoopDelayMaxMs: round(loopDelay.max / 1e6, 2),
      ...mb(memoryBefore, 'before'),
      ...mb(memoryAfter, 'after'),
    },
  };

  const measures: Measure[] = [
    {
      id: `delivery.lag.${p.id}`,
      label: `${p.id}: chunk lag at ${CHUNKS_PER_SECOND}/s (server write -> client)`,
      ms: lagStats,
      target: target(lagStats, TARGET_LAG_P95_MS),
      info: { firstTenthP50Ms: firstTenth.p50, lastTenthP50Ms: lastTenth.p50 },
    },
    {
      id: `delivery.unsaved.${p.id}`,
      label: `${p.id}: time between progress saves`,
      ms: gapStats,
      target: target(gapStats, SAVE_INTERVAL_MS + SAVE_GAP_ALLOWANCE_MS, 'max'),
      info: { note: `first chunk -> save -> ... -> final save; ${SAVE_INTERVAL_MS} ms interval + ${SAVE_GAP_ALLOWANCE_MS} ms allowance`, saves: saves.length },
    },
  ];
  const checks: Check[] = [
    {
      id: `delivery.complete.${p.id}`,
      label: `${p.id}: every chunk once, in order`,
      pass: missing === 0 && duplicates === 0 && outOfOrder === 0 && seqGaps === 0,
      detail: `${CHUNKS - missing}/${CHUNKS} chunks, ${duplicates} duplicated, ${outOfOrder} out of order, ${seqGaps} seq gaps`,
    },
    {
      id: `delivery.text.${p.id}`,
      label: `${p.id}: streamed text = script = done message`,
      pass: streamed === expected && doneText === expected,
      detail: `${streamed.length}/${expected.length} chars streamed${doneText === expected ? '' : ', done message differs'}`,
    },
    {
      id: `delivery.saved.${p.id}`,
      label: `${p.id}: saved message = streamed text`,
      pass: savedText === expected && saved.status === 'complete' && growingSaves,
      detail: `status ${saved.status}, ${savedText.length}/${expected.length} chars, ${saves.length} progress saves${growingSaves ? '' : ' (not monotonic)'}`,
    },
    {
      id: `delivery.keeps-up.${p.id}`,
      label: `${p.id}: client keeps up`,
      pass: growthMs <= GROWTH_ALLOWANCE_MS,
      detail: `lag p50 first tenth ${firstTenth.p50} ms, last tenth ${lastTenth.p50} ms (allowed growth ${GROWTH_ALLOWANCE_MS} ms)`,
    },
  ];
  return { measures, throughput, checks };
}

interface MemorySnapshot {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
}

function memoryNow(): MemorySnapshot {
  const m = process.memoryUsage();
  const mb = (bytes: number) => round(bytes / 1024 ** 2, 1);
  return { rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external) };
}
