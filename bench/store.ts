import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Message, SessionSettings } from '../shared/index.js';
import { MessagesRepository } from '../electron/core/store/repositories/messages.js';
import { toFtsQuery } from '../electron/core/store/repositories/message-search.js';
import { SessionsRepository } from '../electron/core/store/repositories/sessions.js';
import { Store } from '../electron/core/store/store.js';
import { collectGarbage, gc } from './lib/gc.js';
import { Rng } from './lib/prng.js';
import { createResult } from './lib/report.js';
import { round, sample, summarize, target, timed } from './lib/stats.js';
import { databaseBytes, ensureDataset, type Dataset } from './lib/store-dataset.js';
import { createTextGenerator } from './lib/text.js';
import type { BenchOptions, BenchResult, Measure, Throughput } from './lib/types.js';

/**
 * Store benchmark: sidebar pages, opening a long session, full-text search and streaming writes, all through the
 * real repositories on a 1,000,000-message database built by the real migrations (cached in bench/.cache/store).
 */

export const description = 'libSQL store: session pages, long-session path, FTS search, streaming writes (1M messages)';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(benchDir, '..');
const migrationsDir = path.join(rootDir, 'resources', 'migrations');
const cacheDir = path.join(benchDir, '.cache', 'store');

const TARGET_LIST_MS = 5;
const TARGET_PATH_MS = 20;
const TARGET_SEARCH_MS = 50;
const PAGE_SIZE = 50;
const PATH_LIMIT = 100;
/** ChatService loads this much history before every answer. */
const HISTORY_LIMIT = 200;
const SEARCH_LIMIT = 50;

const SEARCHES = [
  { id: 'search.common', label: 'search: common word "file"', query: 'file' },
  { id: 'search.rare', label: 'search: rare word "axolotl"', query: 'axolotl' },
  { id: 'search.two-words', label: 'search: two words "database migration"', query: 'database migration' },
  { id: 'search.prefix', label: 'search: prefix "conf"', query: 'conf' },
  { id: 'search.very-common', label: 'search: very common word "the"', query: 'the' },
] as const;

/** Sessions made by the streaming runs carry this title prefix and are deleted afterwards, keeping the dataset as built. */
const STREAM_TITLE = 'bench-stream:';
const SETTINGS: SessionSettings = {
  provider: 'openai',
  model: 'gpt-4.1-mini',
  systemPrompt: '',
  temperature: null,
  topP: null,
  maxOutputTokens: null,
  thinking: null,
  enabledTools: [],
  maxSteps: 10,
  fallbacks: [],
};
const ASSISTANT = { provider: 'openai', model: 'gpt-4.1-mini', estimatedInputTokens: null, traceId: null };

const log = (line: string) => console.log(line);

export async function run(options: BenchOptions = { rebuild: false }): Promise<BenchResult> {
  const dataset = await ensureDataset(cacheDir, migrationsDir, { rebuild: options.rebuild, log });
  log(
    dataset.builtThisRun
      ? `Dataset built in ${dataset.buildSeconds} s.`
      : `Reusing the cached dataset built ${dataset.builtAt} (${path.relative(rootDir, dataset.dataDir)}).`,
  );

  const store = await Store.open(dataset.dataDir, migrationsDir);
  try {
    const sessions = new SessionsRepository(store);
    const messages = new MessagesRepository(store);
    await removeStreamSessions(store);

    const facts = await datasetFacts(store, dataset);
    log(
      `${facts['messages']!.toLocaleString('en-US')} messages in ${facts['sessions']!.toLocaleString('en-US')} sessions, ${facts['databaseMb']} MB; SQLite ${facts['sqliteVersion']}.`,
    );

    const measures: Measure[] = [];
    log('Listing sessions...');
    measures.push(...(await measureListing(sessions)));
    log('Opening sessions...');
    measures.push(...(await measurePaths(store, messages, dataset)));
    log('Searching...');
    measures.push(...(await measureSearch(store, messages)));
    log('Write path...');
    measures.push(...(await measureWritePath(store, sessions)));
    log('Streaming writes...');
    const throughput = await measureStreaming(sessions, messages, dataset.seed);
    await removeStreamSessions(store);

    return createResult('store', rootDir, { dataset: facts, measures, throughput });
  } finally {
    await store.close();
  }
}

async function datasetFacts(store: Store, dataset: Dataset): Promise<Record<string, string | number | boolean>> {
  const counts = await store.db.get<{ sessions: number; messages: number }>(
    sql`SELECT (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM messages) AS messages`,
  );
  const version = await store.db.get<{ v: string }>(sql`SELECT sqlite_version() AS v`);
  const expected = dataset.sessions * dataset.messagesPerSession + dataset.largeSessionMessages;
  if (Number(counts.messages) !== expected) {
    throw new Error(`The cached dataset has ${counts.messages} messages instead of ${expected}; run with --rebuild.`);
  }
  return {
    sessions: Number(counts.sessions),
    messagesPerSession: dataset.messagesPerSession,
    largeSessionMessages: dataset.largeSessionMessages,
    messages: Number(counts.messages),
    avgTextChars: dataset.avgTextChars,
    databaseMb: Math.round((await databaseBytes(dataset.dataDir)) / 1e6),
    seed: dataset.seed,
    migrationsHash: dataset.migrationsHash,
    builtAt: dataset.builtAt,
    buildSeconds: dataset.buildSeconds,
    builtThisRun: dataset.builtThisRun,
    sqliteVersion: version.v,
  };
}

/** 1. The sidebar: the first page of 50 sessions, and deep pages reached by following cursors. */
async function measureListing(sessions: SessionsRepository): Promise<Measure[]> {
  const cursors: { depth: number; cursor: string }[] = [];
  let cursor: string | null = null;
  let depth = 0;
  for (;;) {
    const page = await sessions.list(cursor, PAGE_SIZE);
    depth += page.items.length;
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
    cursors.push({ depth, cursor });
  }
  const middle = cursors[Math.floor(cursors.length / 2)]!;
  const last = cursors.at(-1)!;

  const first = await sample(() => sessions.list(null, PAGE_SIZE));
  const mid = await sample(() => sessions.list(middle.cursor, PAGE_SIZE));
  const end = await sample(() => sessions.list(last.cursor, PAGE_SIZE));
  return [
    { id: 'list.first', label: 'list 50 sessions: first page', ms: first, target: target(first, TARGET_LIST_MS), info: { skipped: 0 } },
    {
      id: 'list.deep',
      label: `list 50 sessions: after ${middle.depth.toLocaleString('en-US')}`,
      ms: mid,
      target: target(mid, TARGET_LIST_MS),
      info: { skipped: middle.depth },
    },
    {
      id: 'list.last',
      label: `list 50 sessions: after ${last.depth.toLocaleString('en-US')}`,
      ms: end,
      target: target(end, TARGET_LIST_MS),
      info: { skipped: last.depth },
    },
  ];
}

/** 2. Opening a session: the last 100 messages on the active path and the path's length. */
async function measurePaths(store: Store, messages: MessagesRepository, dataset: Dataset): Promise<Measure[]> {
  const check = await messages.path(dataset.largeLeafId, PATH_LIMIT);
  if (check.messages.length !== PATH_LIMIT || check.total !== dataset.largeSessionMessages) {
    throw new Error(`path() on the long session returned ${check.messages.length} messages of ${check.total}.`);
  }
  const leaves = (
    await store.db.all<{ leaf: string }>(
      sql`SELECT active_leaf_id AS leaf FROM sessions WHERE message_count = ${dataset.messagesPerSession} ORDER BY id LIMIT 200`,
    )
  ).map((r) => r.leaf);

  const large = await sample(() => messages.path(dataset.largeLeafId, PATH_LIMIT));
  const regular = await sample((i) => messages.path(leaves[i % leaves.length]!, PATH_LIMIT));
  const history = await sample(() => messages.path(dataset.largeLeafId, HISTORY_LIMIT));
  return [
    {
      id: 'path.large',
      label: `open ${dataset.largeSessionMessages.toLocaleString('en-US')}-message session: last ${PATH_LIMIT} + count`,
      ms: large,
      target: target(large, TARGET_PATH_MS),
      info: { total: check.total, returned: check.messages.length },
    },
    {
      id: 'path.regular',
      label: `open ${dataset.messagesPerSession}-message sessions: last ${PATH_LIMIT} (200 different)`,
      ms: regular,
      target: target(regular, TARGET_PATH_MS),
    },
    {
      id: 'path.history',
      label: `chat history load: last ${HISTORY_LIMIT} of the long session`,
      ms: history,
      target: null,
      info: { note: 'ChatService.history() before every answer; no target' },
    },
  ];
}

/** 3. Full-text search, top 50, over every message. */
async function measureSearch(store: Store, messages: MessagesRepository): Promise<Measure[]> {
  const out: Measure[] = [];
  for (const s of SEARCHES) {
    const matches = await store.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH ${toFtsQuery(s.query)}`);
    const hits = await messages.search(s.query, SEARCH_LIMIT);
    const ms = await sample(() => messages.search(s.query, SEARCH_LIMIT), { warmup: 5, iterations: 200, maxSeconds: 10, minIterations: 10 });
    out.push({
      id: s.id,
      label: s.label,
      ms,
      target: target(ms, TARGET_SEARCH_MS),
      info: { query: s.query, ftsQuery: toFtsQuery(s.query), matchingMessages: Number(matches.n), returned: hits.length },
    });
    log(`  ${s.label}: ${Number(matches.n).toLocaleString('en-US')} matches, p50 ${ms.p50} ms`);
  }
  return out;
}

/**
 * The fixed cost of one `store.write` (queue + the per-write connection pragmas), on a fresh heap and after many
 * reads. Each libSQL execute prepares a new statement that is only finalized when V8 collects it, and
 * `PRAGMA foreign_keys = ON` (re-run before every write) expires every live statement on the connection, so its
 * cost grows with the number of statements not yet collected.
 */
async function measureWritePath(store: Store, sessions: SessionsRepository): Promise<Measure[]> {
  const READS = 20_000;
  const noop = () => store.write(async () => undefined);
  await collectGarbage();
  const fresh = await sample(noop);
  const ids = (await sessions.list(null, 50)).items.map((s) => s.id);
  await collectGarbage();
  for (let i = 0; i < READS; i++) await sessions.find(ids[i % ids.length]!);
  const afterReads = await sample(noop, { warmup: 0 });
  const note = 'cost of store.write itself (queue + connection pragmas); no target';
  return [
    { id: 'write.noop.fresh', label: 'store.write no-op, after GC', ms: fresh, target: null, info: { note, gcAvailable: gc !== null } },
    {
      id: 'write.noop.after-reads',
      label: `store.write no-op, after ${READS.toLocaleString('en-US')} reads`,
      ms: afterReads,
      target: null,
      info: { note, readsBefore: READS },
    },
  ];
}

interface StreamPlan {
  streams: number;
  exchangesPerStream: number;
  savesPerAnswer: number;
  /** Real pauses: between progress saves, and the user's pause before the next message (0 = as fast as possible). */
  saveIntervalMs: number;
  thinkMs: readonly [number, number];
  /** Meanwhile, run a search for this word every second (someone using the search box while answers stream). */
  searchWhileStreaming?: string;
}

/**
 * 4. Streaming writes: N conversations at once, each adding an exchange (user message + streaming answer), saving
 * the answer's progress repeatedly, then finishing it (which indexes it for search) and going on from there.
 */
async function measureStreaming(sessions: SessionsRepository, messages: MessagesRepository, seed: number): Promise<Throughput[]> {
  const text = createTextGenerator(seed + 7);
  const userTexts = Array.from({ length: 64 }, () => text.message('user'));
  const answer = text.answer(1500);
  const rng = new Rng(seed + 11);
  const runPlan = (label: string, plan: StreamPlan) => streamRun(label, plan, { sessions, messages, userTexts, answer, rng });

  await runPlan('warm-up', { streams: 2, exchangesPerStream: 4, savesPerAnswer: 20, saveIntervalMs: 0, thinkMs: [0, 0] });
  const out: Throughput[] = [];
  // As fast as possible: 128 exchanges in all, 20 progress saves per answer (a 5 s answer saved every 250 ms).
  for (const streams of [1, 4, 16]) {
    out.push(
      await runPlan(`burst: ${streams} stream${streams > 1 ? 's' : ''}`, {
        streams,
        exchangesPerStream: 128 / streams,
        savesPerAnswer: 20,
        saveIntervalMs: 0,
        thinkMs: [0, 0],
      }),
    );
  }
  // Real time: saves every 250 ms for 3 s answers, a pause before the next message.
  const realistic = { exchangesPerStream: 2, savesPerAnswer: 12, saveIntervalMs: 250, thinkMs: [300, 1000] } as const;
  for (const streams of [4, 16]) {
    out.push(await runPlan(`realistic: ${streams} streams, save every 250 ms`, { streams, ...realistic }));
  }
  const common = SEARCHES[0].query;
  out.push(await runPlan(`realistic: 16 streams + search "${common}" every 1 s`, { streams: 16, ...realistic, searchWhileStreaming: common }));
  return out;
}

async function streamRun(
  label: string,
  plan: StreamPlan,
  deps: { sessions: SessionsRepository; messages: MessagesRepository; userTexts: string[]; answer: string; rng: Rng },
): Promise<Throughput> {
  const { sessions, messages, userTexts, answer, rng } = deps;
  await collectGarbage();
  const created = [];
  for (let i = 0; i < plan.streams; i++) {
    created.push(await sessions.create({ title: `${STREAM_TITLE} ${label} #${i}`, titleSource: 'user', settings: SETTINGS }));
  }
  const add: number[] = [];
  const save: number[] = [];
  const finish: number[] = [];
  const search: number[] = [];
  const realTime = plan.saveIntervalMs > 0;
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();

  let streaming = true;
  const searching = (async () => {
    if (!plan.searchWhileStreaming) return;
    while (streaming) {
      await sleep(1000);
      if (streaming) await timed(search, () => messages.search(plan.searchWhileStreaming!, SEARCH_LIMIT));
    }
  })();
  const started = performance.now();
  await Promise.all(
    created.map(async (session, s) => {
      let parent: Message | null = null;
      if (realTime) await sleep(rng.int(0, plan.saveIntervalMs * 4));
      for (let e = 0; e < plan.exchangesPerStream; e++) {
        const userText = userTexts[(s * 31 + e) % userTexts.length]!;
        const { assistant } = await timed(add, () => messages.addExchange(session.id, parent, userText, ASSISTANT));
        const firstTokenAt = Date.now();
        for (let k = 1; k <= plan.savesPerAnswer; k++) {
          if (realTime) await sleep(plan.saveIntervalMs);
          const soFar = answer.slice(0, Math.floor((answer.length * k) / (plan.savesPerAnswer + 1)));
          await timed(save, () => messages.saveProgress(assistant.id, soFar, '', firstTokenAt));
        }
        parent = await timed(finish, () =>
          messages.finish(assistant.id, {
            status: 'complete',
            provider: ASSISTANT.provider,
            model: ASSISTANT.model,
            route: [],
            estimatedInputTokens: null,
            text: answer,
            reasoning: '',
            usage: { inputTokens: 900 + e * 400, outputTokens: 375, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, source: 'provider' },
            costUsd: 0.00096,
            providerResponseId: null,
            firstTokenAt,
            error: null,
          }),
        );
        if (realTime) await sleep(rng.int(plan.thinkMs[0], plan.thinkMs[1]));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  streaming = false;
  await searching;
  loopDelay.disable();

  const exchanges = plan.streams * plan.exchangesPerStream;
  const writes = add.length + save.length + finish.length;
  const result: Throughput = {
    id: `stream.${realTime ? 'realistic' : 'burst'}.${plan.streams}`,
    label,
    seconds: round(seconds, 3),
    perSecond: {
      'messages inserted': round((exchanges * 2) / seconds, 1),
      'progress saves': round(save.length / seconds, 1),
      'store writes': round(writes / seconds, 1),
    },
    latency: {
      addExchange: summarize(add),
      saveProgress: summarize(save),
      finish: summarize(finish),
      ...(search.length > 0 ? { search: summarize(search) } : {}),
    },
    info: {
      streams: plan.streams,
      exchanges,
      savesPerAnswer: plan.savesPerAnswer,
      saveIntervalMs: plan.saveIntervalMs,
      answerChars: answer.length,
      gcBeforeRun: gc !== null,
      // A burst never yields to timers, so the event-loop delay is only meaningful for the real-time runs.
      eventLoopDelayP99Ms: realTime ? round(loopDelay.percentile(99) / 1e6, 2) : null,
      eventLoopDelayMaxMs: realTime ? round(loopDelay.max / 1e6, 2) : null,
    },
  };
  log(
    `  ${label}: ${Math.round(result.perSecond['messages inserted']!)} inserts/s, ${Math.round(result.perSecond['progress saves']!)} saves/s, ` +
      `saveProgress p95 ${result.latency['saveProgress']!.p95} ms`,
  );
  return result;
}

/** Deletes the sessions (and, by cascade, the messages) that the streaming runs created, this run or a crashed one. */
async function removeStreamSessions(store: Store): Promise<void> {
  await store.write((db) => db.run(sql`DELETE FROM sessions WHERE title LIKE ${`${STREAM_TITLE}%`}`));
}
