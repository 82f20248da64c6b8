import { performance } from 'node:perf_hooks';
import type { Message } from '../../shared/index.js';
import type { Core } from '../../electron/core/core.js';
import { textReply, type ProviderName, type StreamScript } from '../../tests/provider-server/script.js';
import type { ScriptedProviderServer } from '../../tests/provider-server/server.js';
import { round, summarize, target } from './stats.js';
import { followRun, forgetRequests, log, newSession, PROVIDERS, type Bench, type Client, type ProviderSpec } from './stream-harness.js';
import { sdkStreamer, type SdkStreamer, type Turn } from './stream-sdk.js';
import { createTextGenerator } from './text.js';
import type { Check, Measure } from './types.js';

/**
 * Time to first token (bench/stream.ts): the app, from the chat.send invoke to the first text-delta event at the
 * client (over the WebSocket and in memory), next to the provider's SDK called directly, paired round by round.
 */

export const TTFT_WARMUP = 20;
export const TTFT_ROUNDS = 120;
/**
 * A conversation of this many exchanges (answers of about HISTORY_ANSWER_CHARS), sent whole with every question:
 * with the question that is 199 turns, inside the 200 the chat service sends.
 */
export const HISTORY_EXCHANGES = 99;
export const HISTORY_ANSWER_CHARS = 1_500;
const HISTORY_SEED = 20_260_101;
export const HISTORY_ROUNDS = 100;
/** A fast model's time between tokens. */
export const PAUSE_AFTER_FIRST_TOKEN_MS = 10;
const TARGET_ADDED_TTFT_MS = 5;
const QUESTION = 'What does a write-ahead log do, in two sentences?';
export const SHORT_ANSWER = [
  'A write-ahead ',
  'log records ',
  'every change ',
  'before it is ',
  'applied, so a ',
  'crash can be ',
  'recovered ',
  'by replaying it.',
];
const USAGE = { input: 24, output: 120 };

interface TtftSample {
  /** From the request (SDK call or chat.send invoke) to the first text delta in the caller's hands. */
  total: number;
  /** From the request to the scripted server writing the first text chunk. */
  toFirstChunk: number;
  /** From that write to the first text delta in the caller's hands. */
  fromFirstChunk: number;
}

export type TtftPath = 'sdk' | 'ws' | 'memory';

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
/**
 * A session holding HISTORY_EXCHANGES answered exchanges. All but the last are written straight to the store; the
 * last is asked and answered through the app, as when a conversation goes on, so its path is in the history cache
 * the way it is for a user continuing a chat (the first question after a restart reads it from the store instead).
 */
async function historyConversation(bench: Bench, p: ProviderSpec): Promise<Conversation> {
  const { core } = bench;
  const session = await newSession(core, p, `bench: ttft, ${HISTORY_EXCHANGES * 2}-message history`);
  const text = createTextGenerator(HISTORY_SEED);
  const history: Turn[] = [];
  let parent: Message | null = null;
  for (let i = 0; i < HISTORY_EXCHANGES - 1; i++) {
    const question = text.message('user');
    const answer = text.answer(HISTORY_ANSWER_CHARS);
    const { assistant } = await core.messages.addExchange(session.id, parent, question, {
      provider: p.id,
      model: p.model,
      estimatedInputTokens: null,
      traceId: null,
    });
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
  const question = text.message('user');
  const answer = text.answer(HISTORY_ANSWER_CHARS);
  bench.provider.forProvider(p.id).enqueue(textReply(answer));
  const last = await followRun(bench.ws.client, { sessionId: session.id, text: question, parentId: parent!.id }, () => undefined);
  if (last.end.type !== 'done') throw new Error(`the last history exchange failed: ${JSON.stringify(last.end)}`);
  history.push({ role: 'user', content: question }, { role: 'assistant', content: answer });
  forgetRequests(bench.provider);
  const leafId = last.assistantId;
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
export async function measureTtft(bench: Bench, kind: Conversation['id'], paths: TtftPath[], rounds: number): Promise<TtftRun> {
  const series: TtftSeries[] = [];
  for (const p of PROVIDERS) {
    const conversation = kind === 'fresh' ? freshConversation(bench.core, p) : await historyConversation(bench, p);
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
  const measures: Measure[] = paths.map((which) => ({
    id: `${prefix}.${which}.${p.id}`,
    label: `${p.id}: TTFT${where}, ${pathLabel[which]}`,
    ms: stat(which, 'total'),
    target: null,
  }));
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

async function sdkTtft(
  server: ScriptedProviderServer,
  provider: ProviderName,
  stream: () => AsyncIterable<string>,
): Promise<{ sample: TtftSample; text: string; turns: number }> {
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

/** How many turns the last request's conversation had, whichever wire format; then forgets the requests. */
function turnsSent(server: ScriptedProviderServer): number {
  const body = server.requests.at(-1)?.body ?? {};
  forgetRequests(server);
  const turns = body['messages'] ?? body['contents'];
  return Array.isArray(turns) ? turns.length : -1;
}
