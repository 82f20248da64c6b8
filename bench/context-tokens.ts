import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { textTokens, turnTokens } from '../electron/core/chat/estimate.js';
import { buildContext, type ContextItem, type SummarySlot, type TokenCounting } from '../electron/core/context/builder.js';
import { contextBudget, type ContextBudget } from '../electron/core/context/budget.js';
import { furtherLimit, HISTORY_LIMIT } from '../electron/core/context/history.js';
import { KEEP_RECENT_TURNS } from '../electron/core/summaries/summary-service.js';
import { SUMMARY_MAX_TOKENS } from '../electron/core/summaries/summarizer.js';
import type { ChatTurn, ToolDefinition } from '../electron/core/providers/types.js';
import { DEFAULT_SETTINGS } from '../electron/core/core.js';
import { MessagesRepository } from '../electron/core/store/repositories/messages.js';
import { SessionsRepository } from '../electron/core/store/repositories/sessions.js';
import { Store } from '../electron/core/store/store.js';
import type { Message } from '../shared/index.js';
import { longAnswer } from './lib/long-answer.js';
import { Rng } from './lib/prng.js';
import { createResult } from './lib/report.js';
import { summarize } from './lib/stats.js';
import { createTextGenerator } from './lib/text.js';
import type { BenchResult, Check, Measure } from './lib/types.js';
import { completeAnswer } from '../tests/helpers/seed.js';

/**
 * Prompt tokens with and without context management over a 200-turn conversation: every request of the
 * conversation (the one answering each question) built twice, once as everything (what Coda sent before the
 * builder) and once by `buildContext`, counted with the o200k tokenizer. Conversations are generated from the
 * bench's seeded text generator, so every run is identical:
 * - `agent`: a working session: questions, Markdown answers with code and tables, and a file read by a tool every
 *   third turn (2–12k characters of output);
 * - `chat`: the store dataset's plain chat messages (3–30 words asked, 10–120 answered).
 * Two messages early in each are pinned. Each model is measured without summaries (the window and compression
 * alone) and with the app's automatic summaries (`autoSummaries`: the threshold of summary-service.ts, a summary
 * of the length the summarizer asks for at most).
 */
export const description = 'context builder: prompt tokens with and without context management on 200-turn conversations (target ≥ 30% fewer)';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const migrationsDir = path.join(rootDir, 'resources', 'migrations');
/** Path lengths read back from the store, to price reading further than HISTORY_LIMIT. */
const READS = [200, 400, 1_000, 2_000];
const TURNS = 200;
const TARGET_REDUCTION = 0.3;
/** The newest turns checked whole in the last request. */
const LAST_TURNS = 3;
/** The app's default automatic summary threshold (`summaries.thresholdPercent`), in percent of the model's window. */
const THRESHOLD_PERCENT = 50;

const SYSTEM: ChatTurn = { role: 'system', content: 'You are a careful coding assistant. Answer briefly, cite files by path, and say when you are unsure.' };
const TOOLS: ToolDefinition[] = [
  {
    name: 'read_file',
    description: 'Reads a text file of the project.',
    parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
  {
    name: 'search_code',
    description: 'Finds lines matching a pattern.',
    parameters: { type: 'object', properties: { pattern: { type: 'string' } }, required: ['pattern'] },
  },
];

/** One question and everything answering it. */
interface Turn {
  items: (ContextItem & { id: string })[];
}

function conversation(kind: 'agent' | 'chat', seed: number): Turn[] {
  const text = createTextGenerator(seed);
  const rng = new Rng(seed);
  let n = 0;
  const id = () => `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`;
  return Array.from({ length: TURNS }, (_, i) => {
    const items: (ContextItem & { id: string })[] = [{ id: id(), turn: { role: 'user', content: text.message('user') } }];
    if (kind === 'chat') {
      items.push({ id: id(), turn: { role: 'assistant', content: text.message('assistant') } });
      return { items };
    }
    if (i % 3 === 2) {
      const callId = `call_${i}`;
      const file = `src/${text.title().toLowerCase().replace(/\s+/g, '-')}.ts`;
      items.push({
        id: id(),
        turn: { role: 'assistant', content: '', toolCalls: [{ id: callId, name: 'read_file', arguments: JSON.stringify({ path: file }) }] },
      });
      items.push({ id: id(), turn: { role: 'tool', toolCallId: callId, name: 'read_file', content: longAnswer(rng.int(2_000, 12_000)) } });
    }
    const answer = `${text.answer(rng.int(300, 1_200))}\n\n${longAnswer(rng.int(400, 2_500))}`;
    items.push({ id: id(), turn: { role: 'assistant', content: answer } });
    return { items };
  });
}

/** Counts each distinct turn once (the app keeps finished messages' counts; compressed copies repeat their text). */
function cachedCounting(): TokenCounting {
  const byTurn = new WeakMap<ChatTurn, number>();
  const byText = new Map<string, number>();
  return {
    turn(turn) {
      let count = byTurn.get(turn);
      if (count !== undefined) return count;
      const key = `${turn.role}\u0000${turn.content}\u0000${turn.role === 'assistant' ? JSON.stringify(turn.toolCalls ?? []) : ''}`;
      count = byText.get(key) ?? turnTokens(turn);
      byText.set(key, count);
      byTurn.set(turn, count);
      return count;
    },
    text: (text) => textTokens(text),
  };
}

export interface ScenarioOptions {
  /** The chat's summary for the request answering turn `index` (0-based), once summarization exists; null: none. */
  summaryFor?: (index: number, earlier: Turn[]) => SummarySlot | null;
  /**
   * Which messages are candidates: `app`, the newest HISTORY_LIMIT and older ones while the budget has room
   * (context/history.ts); `newest`, only the newest HISTORY_LIMIT (the app before); `whole`, the whole path.
   */
  history?: HistoryMode;
}

type HistoryMode = 'app' | 'newest' | 'whole';

function candidates(all: ContextItem[], mode: HistoryMode, budget: ContextBudget): ContextItem[] {
  if (mode === 'whole') return all;
  const page = all.slice(-HISTORY_LIMIT);
  if (mode === 'newest') return page;
  const limit = furtherLimit(
    page.map((item, i) => ({ id: String(i), role: item.turn.role, status: 'complete', text: item.turn.content })),
    budget.budget,
  );
  return limit === null ? page : all.slice(-limit);
}

/** A summary text of `tokens` o200k tokens from the seeded generator (the scripted summary's length is chosen too). */
function summaryText(tokens: number, seed: number): string {
  let text = createTextGenerator(seed).answer(tokens * 6);
  while (textTokens(text) > tokens) text = text.slice(0, Math.floor(text.length * 0.97));
  return text;
}

/**
 * The app's automatic summaries (SummaryService.afterAnswer) as a `summaryFor`: after each answer, when the next
 * request (system prompt, summary and the uncovered messages of the read window) takes more than the threshold of
 * the model's window, everything before the newest turn (the newest two when they fit in half the threshold) is
 * folded into the summary. Every summary is as long as the summarizer may answer (SUMMARY_MAX_TOKENS), the most
 * the app sends: an incremental summary replaces the previous one rather than adding to it.
 */
export function autoSummaries(budget: ContextBudget, options: { thresholdPercent?: number; summaryTokens?: number } = {}) {
  const threshold = Math.floor((budget.window * (options.thresholdPercent ?? THRESHOLD_PERCENT)) / 100);
  const text = summaryText(options.summaryTokens ?? SUMMARY_MAX_TOKENS, 7);
  const counting = cachedCounting();
  const turnTokensOf = (turn: Turn) => turn.items.reduce((n, item) => n + counting.turn(item.turn), 0);
  let slot: SummarySlot | null = null;
  /** How many turns the summary in effect covers. */
  let coveredTurns = 0;
  const made: number[] = [];
  const summaryFor = (index: number, earlier: Turn[]): SummarySlot | null => {
    if (index === 0) return null;
    // The answer to question index - 1 has just finished: the check the app runs after it.
    const window = candidates(
      earlier.flatMap((t) => t.items),
      'app',
      budget,
    );
    const covered = new Set(slot?.covers ?? []);
    const next =
      counting.turn(SYSTEM) +
      (slot ? textTokens(slot.text) : 0) +
      window.filter((item) => !covered.has(item.id!)).reduce((n, item) => n + counting.turn(item.turn), 0);
    if (next <= threshold) return slot;
    // endKeepingRecentTurns: keep the newest turn, and the one before it when both fit in half the threshold.
    let end = earlier.length - 1;
    if (KEEP_RECENT_TURNS > 1 && earlier.length >= 2 && turnTokensOf(earlier.at(-1)!) + turnTokensOf(earlier.at(-2)!) <= threshold / 2) end--;
    if (end <= coveredTurns) return slot;
    coveredTurns = end;
    made.push(index);
    slot = { text, covers: earlier.slice(0, end).flatMap((t) => t.items.map((item) => item.id)) };
    return slot;
  };
  return { summaryFor, made, threshold };
}

interface ScenarioResult {
  without: number;
  withManagement: number;
  lastWithout: number;
  lastWith: number;
  buildMs: number[];
  pinsIntact: boolean;
  lastTurnsIntact: boolean;
  messages: number;
}

/** Every request of the conversation, without and with the builder. */
export function scenario(turns: Turn[], budget: ContextBudget, options: ScenarioOptions = {}): ScenarioResult {
  const counting = cachedCounting();
  const toolsTokens = textTokens(JSON.stringify(TOOLS));
  const pinned = [turns[2]!.items[0]!, turns[9]!.items[0]!];
  const result: ScenarioResult = {
    without: 0,
    withManagement: 0,
    lastWithout: 0,
    lastWith: 0,
    buildMs: [],
    pinsIntact: true,
    lastTurnsIntact: true,
    messages: 0,
  };
  const sum = (list: ChatTurn[]) => list.reduce((n, t) => n + counting.turn(t), 0);
  for (let i = 0; i < turns.length; i++) {
    // The request answering question i: every earlier turn whole, then the question (its answer is being written).
    const all: ContextItem[] = [...turns.slice(0, i).flatMap((t) => t.items), turns[i]!.items[0]!];
    const history = candidates(all, options.history ?? 'app', budget);
    const candidatePins = pinned.filter((p) => all.includes(p));
    const everything = counting.turn(SYSTEM) + toolsTokens + sum(all.map((item) => item.turn));
    const t0 = performance.now();
    const built = buildContext(
      { system: [SYSTEM], tools: TOOLS, pinned: candidatePins, summary: options.summaryFor?.(i, turns.slice(0, i)) ?? null, recalled: [], history },
      budget,
      counting,
    );
    result.buildMs.push(performance.now() - t0);
    const sent = sum(built.turns) + toolsTokens;
    result.without += everything;
    result.withManagement += sent;
    for (const pin of candidatePins) if (!built.turns.includes(pin.turn)) result.pinsIntact = false;
    if (i === turns.length - 1) {
      result.lastWithout = everything;
      result.lastWith = sent;
      result.messages = all.length;
      const newest = [...turns.slice(i - LAST_TURNS + 1, i).flatMap((t) => t.items), turns[i]!.items[0]!];
      result.lastTurnsIntact = newest.every((item) => built.turns.includes(item.turn));
    }
  }
  return result;
}

/** The chat service's history read (`historyTurns`) of N messages on a 2,000-message chat of the dataset's text. */
async function pathReads(measures: Measure[]): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'coda-bench-context-'));
  const store = await Store.open(dir, migrationsDir);
  try {
    const sessions = new SessionsRepository(store);
    const messages = new MessagesRepository(store);
    const session = await sessions.create({ title: 'Long', titleSource: 'user', settings: DEFAULT_SETTINGS });
    const text = createTextGenerator(99);
    let tip: Message | null = null;
    const meta = { provider: 'openai', model: 'gpt-4o', estimatedInputTokens: null, traceId: null };
    for (let i = 0; i < Math.max(...READS) / 2; i++) {
      const { assistant } = await messages.addExchange(session.id, tip, text.message('user'), meta);
      tip = await messages.finish(assistant.id, completeAnswer(text.message('assistant'), meta));
    }
    for (const limit of READS) {
      const samples: number[] = [];
      for (let i = 0; i < 5; i++) await messages.historyTurns(tip!.id, limit);
      for (let i = 0; i < 40; i++) {
        const t0 = performance.now();
        await messages.historyTurns(tip!.id, limit);
        samples.push(performance.now() - t0);
      }
      measures.push({
        id: `read.${limit}`,
        label: `history read of the newest ${limit.toLocaleString('en-US')} messages of a chat`,
        ms: summarize(samples),
        target: null,
      });
    }
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult> {
  const measures: Measure[] = [];
  await pathReads(measures);
  const checks: Check[] = [];
  const dataset: Record<string, unknown> = {
    turns: TURNS,
    pins: 2,
    summary: `automatic at ${THRESHOLD_PERCENT}% of the window (the default), ${SUMMARY_MAX_TOKENS.toLocaleString('en-US')} tokens each (the summarizer's answer limit)`,
  };
  const models: [string, string][] = [
    ['openai', 'gpt-4o'],
    ['anthropic', 'claude-sonnet-4-6'],
    ['ollama', 'local-model'],
  ];
  const variants = ['app+summaries', 'app', 'newest', 'whole'] as const;
  const read = {
    'app+summaries': 'newest 200 messages and older while the budget has room, automatic summaries',
    app: 'newest 200 messages, older while the budget has room, no summary',
    newest: `only the newest ${HISTORY_LIMIT} messages, no summary`,
    whole: 'whole path, no summary',
  };
  for (const kind of ['agent', 'chat'] as const) {
    const turns = conversation(kind, 20_261_203);
    dataset[`${kind}.messages`] = turns.reduce((n, t) => n + t.items.length, 0);
    for (const [provider, model] of models) {
      const budget = contextBudget(provider, model, null);
      for (const variant of variants) {
        const summaries = variant === 'app+summaries' ? autoSummaries(budget) : null;
        const r = scenario(turns, budget, {
          history: variant === 'app+summaries' ? 'app' : variant,
          ...(summaries ? { summaryFor: summaries.summaryFor } : {}),
        });
        const reduction = 1 - r.withManagement / r.without;
        const id = `${kind}.${model}.${variant}`;
        measures.push({
          id,
          label: `${kind} conversation, ${model} (budget ${budget.budget.toLocaleString('en-US')}), ${read[variant]}: build time per request`,
          ms: summarize(r.buildMs),
          target: null,
          info: {
            promptTokensWithout: r.without,
            promptTokensWith: r.withManagement,
            reductionPercent: Math.round(reduction * 1000) / 10,
            lastRequestWithout: r.lastWithout,
            lastRequestWith: r.lastWith,
            lastRequestReductionPercent: Math.round((1 - r.lastWith / r.lastWithout) * 1000) / 10,
            ...(summaries
              ? { summaryThreshold: summaries.threshold, summariesMade: summaries.made.length, firstSummaryBeforeRequest: summaries.made[0] ?? null }
              : {}),
          },
        });
        if (kind === 'agent' && variant === 'app+summaries')
          checks.push({
            id: `reduction.agent.${model}`,
            label: `≥ ${TARGET_REDUCTION * 100}% fewer prompt tokens over the 200 requests of the agent conversation (${model}, automatic summaries), pins and last ${LAST_TURNS} turns intact`,
            pass: reduction >= TARGET_REDUCTION && r.pinsIntact && r.lastTurnsIntact,
            detail: `${r.without.toLocaleString('en-US')} → ${r.withManagement.toLocaleString('en-US')} tokens (${(reduction * 100).toFixed(1)}% fewer); pins ${r.pinsIntact ? 'intact' : 'MISSING'}, last turns ${r.lastTurnsIntact ? 'intact' : 'NOT intact'}`,
          });
        else if (!r.pinsIntact || !r.lastTurnsIntact)
          checks.push({
            id: `intact.${id}`,
            label: `${id}: pins and last turns intact`,
            pass: false,
            detail: `pins ${r.pinsIntact}, last turns ${r.lastTurnsIntact}`,
          });
      }
    }
  }
  return createResult('context-tokens', rootDir, { dataset, measures, checks });
}
