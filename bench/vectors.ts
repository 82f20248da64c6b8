import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { findPreset } from '../shared/index.js';
import { CompactIndex } from '../electron/core/recall/compact-index.js';
import { createEmbedder } from '../electron/core/recall/embedder.js';
import { EmbeddingQueue } from '../electron/core/recall/embedding-queue.js';
import { AppEvents } from '../electron/core/runs/app-events.js';
import { EmbeddingsRepository } from '../electron/core/store/repositories/embeddings.js';
import { Store } from '../electron/core/store/store.js';
import { hashedEmbedding } from '../tests/provider-server/embeddings.js';
import { ScriptedProviderServer } from '../tests/provider-server/server.js';
import { createResult } from './lib/report.js';
import { round, sample, summarize, target } from './lib/stats.js';
import { ensureDataset } from './lib/store-dataset.js';
import { createTextGenerator } from './lib/text.js';
import type { BenchOptions, BenchResult, Check, LatencyStats, Measure, Throughput } from './lib/types.js';

/**
 * Vector benchmark for semantic recall (docs/decisions/0026-semantic-recall.md), on a 100,000-message dataset built
 * like the store benchmark's (bench/.cache/vectors):
 * - backfill: 20,000 messages embedded through the real queue and the OpenAI SDK against the scripted provider
 *   server (256-dimension hashed bag-of-words vectors, 64 texts per request), messages per second;
 * - top-10 across all chats as the app searches (compact copies in memory, then exact re-ranking): p95, the first
 *   search after start (it loads the copies), the memory held, recall@10 against the exact ranking (every vector
 *   compared by vector_distance_cos, also timed); the same first passes on 100k synthetic dense vectors;
 * - exact top-10 within one chat (as the app searches there);
 * - libSQL's vector index (libsql_vector_idx, DiskANN) on the first INDEX_ROWS vectors: build time (and the rate
 *   that means for 100k), top-10 latency through vector_top_k, and its recall against the exact top 10.
 */

export const description =
  'semantic recall: embedding backfill throughput, top-10 p95 over 100k vectors (all chats, one chat), recall@10, vector index build time';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(benchDir, '..');
const migrationsDir = path.join(rootDir, 'resources', 'migrations');
const cacheDir = path.join(benchDir, '.cache', 'vectors');

const SPEC = { sessions: 990, messagesPerSession: 100, largeSessionMessages: 1_000, seed: 20_261_203 };
const TOP_K_TARGET_MS = 50;
const INDEX_BUILD_TARGET_S = 60;
/** Vectors the index is built over (building it over all 100k takes far longer than the target; see the note). */
const INDEX_ROWS = Number(process.env['VECTOR_INDEX_ROWS'] ?? 10_000);
const DIMS = 256;
const MODEL = 'text-embedding-3-small';
/** Messages whose backfill is timed (the rest of the dataset's vectors are kept from the first run). */
const BACKFILL_TIMED = 20_000;
/** Query vectors; recall@10 is measured over all of them. */
const QUERIES = 100;
/** Skips the timed backfill and libSQL's vector index (a quicker run while tuning the search). */
const QUICK = process.env['VECTOR_BENCH_QUICK'] === '1';

const log = (line: string) => console.log(line);

export async function run(options: BenchOptions = { rebuild: false }): Promise<BenchResult> {
  const dataset = await ensureDataset(cacheDir, migrationsDir, { rebuild: options.rebuild, spec: SPEC, log });
  const measures: Measure[] = [];
  const throughput: Throughput[] = [];
  const checks: Check[] = [];
  const server = await new ScriptedProviderServer().listen();
  const store = await Store.open(dataset.dataDir, migrationsDir);
  try {
    const embeddings = new EmbeddingsRepository(store);
    const preset = findPreset('openai')!;
    const embedder = createEmbedder({
      preset,
      identity: { id: preset.id, label: preset.label, keyHint: 'bench' },
      apiKey: 'sk-bench',
      baseUrl: server.openaiBaseUrl,
      model: MODEL,
    });

    // Backfill through the queue as the app runs it: the whole dataset once (kept in the cache for later runs), then
    // BACKFILL_TIMED messages again, timed.
    const queue = new EmbeddingQueue({ embeddings, appEvents: new AppEvents(), embedder: () => embedder });
    const before = await embeddings.progress(embedder.key);
    if (before.embedded < before.total) {
      log(`  embedding the dataset (${before.total - before.embedded} messages)...`);
      await queue.backfill();
    }
    if (!QUICK) {
      await store.write((db) =>
        db.run(
          sql`DELETE FROM message_embeddings WHERE message_id IN (SELECT message_id FROM message_embeddings ORDER BY message_id DESC LIMIT ${BACKFILL_TIMED})`,
        ),
      );
      const started = performance.now();
      const done = await queue.backfill();
      const seconds = (performance.now() - started) / 1000;
      throughput.push({
        id: 'backfill',
        label: `embedding backfill of ${BACKFILL_TIMED.toLocaleString('en-US')} messages (OpenAI SDK → scripted server in the same process, ${DIMS} dims, 64 per request)`,
        seconds: round(seconds, 1),
        perSecond: { messages: Math.round(BACKFILL_TIMED / seconds) },
        latency: {},
        info: { messages: BACKFILL_TIMED, embeddedInAll: done.embedded, total: done.total },
      });
      log(`  backfill: ${BACKFILL_TIMED} in ${seconds.toFixed(1)} s (${Math.round(BACKFILL_TIMED / seconds)}/s)`);
      checks.push({
        id: 'backfill.complete',
        label: 'backfill embeds every message',
        pass: done.embedded === done.total,
        detail: `${done.embedded}/${done.total}`,
      });
    }

    // Queries: new sentences from the same generator, embedded as the scripted server does.
    const text = createTextGenerator(7);
    const queries = Array.from({ length: QUERIES }, () => Float32Array.from(hashedEmbedding(text.message('user'), DIMS)));
    const key = embedder.key;

    // The exact ranking every vector is compared against (the app's search before the in-memory first pass).
    const exactTop = (q: Float32Array, limit: number) =>
      store.db.all<{ message_id: string; distance: number }>(
        sql`SELECT message_id, vector_distance_cos(embedding, ${Buffer.from(q.buffer)}) AS distance FROM message_embeddings WHERE model = ${key} AND dims = ${DIMS} ORDER BY distance LIMIT ${limit}`,
      );
    const exact = await sample((i) => exactTop(queries[i % queries.length]!, 10), { warmup: 2, iterations: 20, maxSeconds: 15, minIterations: 10 });
    measures.push({ id: 'exact.all-chats', label: 'exact top-10 over 100k vectors (all chats), every vector compared in SQL', ms: exact, target: null });
    log(`  exact top-10, all chats (SQL scan): p50 ${exact.p50} ms, p95 ${exact.p95} ms`);

    // The app's search across all chats, as after a start: a fresh repository, whose compact copies the app starts
    // loading at once (`warm`); a search during the load scans exactly. Reported: the load's time, the longest it
    // held the thread at once, and the time of a search made right at start (during the load).
    const fresh = new EmbeddingsRepository(store);
    const stalls = monitorEventLoopDelay({ resolution: 5 });
    stalls.enable();
    const loadStarted = performance.now();
    const warming = fresh.warm(key).then(() => performance.now() - loadStarted);
    const firstStarted = performance.now();
    await fresh.nearest(key, queries[0]!, { limit: 10 });
    const firstMs = performance.now() - firstStarted;
    const loadMs = await warming;
    stalls.disable();
    const loaded = fresh.compact.held()!;
    const longestStallMs = round(stalls.max / 1e6, 1);
    measures.push({
      id: 'compact.load',
      label: 'loading the compact copies at start (in the background, in slices of 2,000 rows)',
      ms: summarize([loadMs]),
      target: null,
      info: { vectors: loaded.size, longestStallMs, firstSearchDuringLoadMs: round(firstMs, 1) },
    });
    log(
      `  load at start: ${loadMs.toFixed(1)} ms (${loaded.size} vectors, thread held ≤ ${longestStallMs} ms at once); a search during it (exact scan): ${firstMs.toFixed(1)} ms`,
    );
    const afterLoadStarted = performance.now();
    await fresh.nearest(key, queries[1]!, { limit: 10 });
    const afterLoadMs = performance.now() - afterLoadStarted;
    measures.push({
      id: 'compact.first-search',
      label: 'first search across all chats once loaded (first use of the copies, nothing warmed by JIT)',
      ms: summarize([afterLoadMs]),
      target: { stat: 'max', maxMs: TOP_K_TARGET_MS, pass: afterLoadMs <= TOP_K_TARGET_MS },
    });
    log(`  first search once loaded: ${afterLoadMs.toFixed(1)} ms`);
    const all = await sample((i) => fresh.nearest(key, queries[i % queries.length]!, { limit: 10 }), {
      warmup: 5,
      iterations: 100,
      maxSeconds: 30,
      minIterations: 20,
    });
    measures.push({
      id: 'compact.all-chats',
      label: 'top-10 over 100k vectors (all chats): compact copies in memory, then exact re-ranking (as the app searches)',
      ms: all,
      target: target(all, TOP_K_TARGET_MS),
    });
    log(`  top-10, all chats (compact copies + exact re-ranking): p50 ${all.p50} ms, p95 ${all.p95} ms`);
    const signatureBytes = loaded.bytes;
    // The map of rowid to slot: V8 spends roughly 30-50 bytes an entry on a Map of small integers.
    const mapBytes = loaded.size * 40;
    measures.push({
      id: 'compact.memory',
      label: 'memory held by the compact copies (bit sets, int8 copies, scales, rowids; plus an estimate for the rowid map)',
      ms: summarize([0]),
      target: null,
      info: { arrayBytes: signatureBytes, mapBytesEstimate: mapBytes, totalMb: round((signatureBytes + mapBytes) / 1e6, 1) },
    });
    log(`  memory: ${(signatureBytes / 1e6).toFixed(1)} MB of arrays (+ ~${(mapBytes / 1e6).toFixed(1)} MB map)`);

    // Recall@10 against the exact ranking, over every query: the share of the exact top 10 found, and (as many
    // messages of the hashed bag-of-words dataset are equally near) the share of the 10 found that are at least as
    // near as the exact 10th.
    let found = 0;
    let asNear = 0;
    for (const q of queries) {
      const want = await exactTop(q, 10);
      const got = await fresh.nearest(key, q, { limit: 10 });
      const ids = new Set(got.map((m) => m.messageId));
      found += want.filter((r) => ids.has(r.message_id)).length;
      const tenth = 1 - Number(want.at(-1)!.distance);
      asNear += got.filter((m) => m.similarity >= tenth - 1e-6).length;
    }
    const recallAt10 = found / (queries.length * 10);
    const recallTies = asNear / (queries.length * 10);
    checks.push({
      id: 'compact.recall',
      label: 'search across all chats finds the exact top 10 (recall@10, ties counted, ≥ 0.99)',
      pass: recallTies >= 0.99,
      detail: `recall@10 ${recallAt10.toFixed(4)} by message, ${recallTies.toFixed(4)} counting equally near messages, over ${queries.length} queries`,
    });
    log(`  recall@10 against the exact ranking: ${recallAt10.toFixed(4)} by message, ${recallTies.toFixed(4)} with ties`);

    // Real embedding models give dense vectors (every dimension set), unlike the hashed bags of words above; their
    // first pass is the bit sets (the int8 copies score only the best FIRST_PASS). Measured in memory on 100k
    // synthetic dense vectors (clusters with noise), against the exact ranking computed here.
    const dense = denseFirstPass();
    measures.push({
      id: 'compact.dense-first-pass',
      label: 'dense vectors (synthetic, 100k × 256): compact first passes in memory, the 90 re-ranked exactly (as for a top 10)',
      ms: dense.ms,
      target: null,
    });
    checks.push({
      id: 'compact.dense-recall',
      label: 'dense vectors: the exact top 10 are among the candidates re-ranked exactly (≥ 0.99)',
      pass: dense.recall >= 0.99,
      detail: `recall@10 ${dense.recall.toFixed(4)} over ${dense.queries} queries`,
    });
    log(`  dense vectors: first passes p95 ${dense.ms.p95} ms, recall@10 ${dense.recall.toFixed(4)}`);

    const session = await store.db.get<{ id: string }>(sql`SELECT id FROM sessions LIMIT 1`);
    const one = await sample((i) => embeddings.nearest(key, queries[i % queries.length]!, { limit: 10, filters: { sessionId: session.id } }), {
      warmup: 3,
      iterations: 40,
      maxSeconds: 10,
    });
    measures.push({ id: 'exact.one-chat', label: 'exact top-10 within one chat (100 messages)', ms: one, target: target(one, TOP_K_TARGET_MS) });
    log(`  exact top-10, one chat: p95 ${one.p95} ms`);

    if (!QUICK) {
      // libSQL's vector index over a copy of the first INDEX_ROWS vectors (it needs a sized column).
      await store.write(async (db) => {
        await db.run(sql.raw(`DROP TABLE IF EXISTS bench_vectors`));
        await db.run(sql.raw(`CREATE TABLE bench_vectors (rid INTEGER PRIMARY KEY, message_id TEXT NOT NULL, v F32_BLOB(${DIMS}) NOT NULL)`));
        await db.run(sql`INSERT INTO bench_vectors (message_id, v) SELECT message_id, embedding FROM message_embeddings LIMIT ${INDEX_ROWS}`);
      });
      const buildStarted = performance.now();
      await store.write((db) =>
        db.run(
          sql.raw(`CREATE INDEX bench_vectors_idx ON bench_vectors (libsql_vector_idx(v, 'metric=cosine', 'compress_neighbors=float8', 'max_neighbors=16'))`),
        ),
      );
      const buildSeconds = (performance.now() - buildStarted) / 1000;
      const perRowMs = (buildSeconds * 1000) / INDEX_ROWS;
      const projected = (perRowMs * 100_000) / 1000;
      checks.push({
        id: 'index.build',
        label: `vector index build over 100k vectors ≤ ${INDEX_BUILD_TARGET_S} s`,
        pass: projected <= INDEX_BUILD_TARGET_S,
        detail: `${buildSeconds.toFixed(1)} s for ${INDEX_ROWS.toLocaleString('en-US')} vectors (${perRowMs.toFixed(2)} ms each): at least ${Math.round(projected)} s for 100k (insertion cost grows with the graph)`,
      });
      log(`  index build: ${buildSeconds.toFixed(1)} s for ${INDEX_ROWS} vectors (≥ ${Math.round(projected)} s for 100k)`);
      const indexed = await sample(
        (i) => store.db.all(sql`SELECT id FROM vector_top_k('bench_vectors_idx', ${Buffer.from(queries[i % queries.length]!.buffer)}, 10)`),
        { warmup: 3, iterations: 40, maxSeconds: 10 },
      );
      measures.push({
        id: 'index.top-k',
        label: `indexed top-10 over ${INDEX_ROWS.toLocaleString('en-US')} vectors`,
        ms: indexed,
        target: target(indexed, TOP_K_TARGET_MS),
      });
      const exactSmall = await sample(
        (i) => store.db.all(sql`SELECT rid FROM bench_vectors ORDER BY vector_distance_cos(v, ${Buffer.from(queries[i % queries.length]!.buffer)}) LIMIT 10`),
        { warmup: 3, iterations: 40, maxSeconds: 10 },
      );
      measures.push({
        id: 'exact.index-rows',
        label: `exact top-10 over the same ${INDEX_ROWS.toLocaleString('en-US')} vectors`,
        ms: exactSmall,
        target: null,
      });
      let indexFound = 0;
      for (const q of queries) {
        const bytes = Buffer.from(q.buffer);
        const approx = await store.db.all<{ id: number }>(sql`SELECT id FROM vector_top_k('bench_vectors_idx', ${bytes}, 10)`);
        const exactRows = await store.db.all<{ rid: number }>(sql`SELECT rid FROM bench_vectors ORDER BY vector_distance_cos(v, ${bytes}) LIMIT 10`);
        const got = new Set(approx.map((r) => Number(r.id)));
        indexFound += exactRows.filter((r) => got.has(Number(r.rid))).length;
      }
      const recall = indexFound / (queries.length * 10);
      checks.push({
        id: 'index.recall',
        label: 'indexed top-10 finds the exact top 10',
        pass: recall === 1,
        detail: `${(recall * 100).toFixed(1)}% of the exact top 10`,
      });
      log(`  index: top-10 p95 ${indexed.p95} ms, recall ${(recall * 100).toFixed(1)}%; exact over the same rows p95 ${exactSmall.p95} ms`);
      await store.write((db) => db.run(sql.raw(`DROP TABLE bench_vectors`)));
      measures.push({
        id: 'index.build-time',
        label: `index build, ${INDEX_ROWS.toLocaleString('en-US')} vectors`,
        ms: summarize([buildSeconds * 1000]),
        target: null,
      });
    }
  } finally {
    await store.close();
    await server.close();
  }
  return createResult('vectors', rootDir, {
    dataset: {
      dataDir: path.relative(rootDir, dataset.dataDir),
      messages: SPEC.sessions * SPEC.messagesPerSession + SPEC.largeSessionMessages,
      dims: DIMS,
      indexRows: INDEX_ROWS,
      note: 'shared, noisy machine (2 cores, other jobs running)',
    },
    measures,
    throughput,
    checks,
  });
}

/** The compact index's first passes over 100k synthetic dense vectors: latency, and recall@10 after exact re-ranking. */
function denseFirstPass(): { ms: LatencyStats; recall: number; queries: number } {
  let seed = 20_261_203;
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
  const unit = (v: Float32Array) => {
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm);
    return v.map((x) => x / norm);
  };
  const centers = Array.from({ length: 2_000 }, () => Float32Array.from({ length: DIMS }, gauss));
  const vectors = Array.from({ length: 100_000 }, (_, i) => unit(centers[i % centers.length]!.map((x) => x + 1.2 * gauss())));
  const index = new CompactIndex('bench/dense', DIMS, vectors.length);
  vectors.forEach((v, rowid) => index.set(rowid, v));
  const dot = (a: Float32Array, b: Float32Array) => {
    let sum = 0;
    for (let i = 0; i < DIMS; i++) sum += a[i]! * b[i]!;
    return sum;
  };
  const queries = Array.from({ length: 40 }, (_, i) => unit(centers[(i * 37) % centers.length]!.map((x) => x + 1.2 * gauss())));
  const samples: number[] = [];
  let found = 0;
  for (const q of queries) {
    const started = performance.now();
    const candidates = index.nearest(q, 90, 3_000);
    samples.push(performance.now() - started);
    const exact = vectors
      .map((v, rowid) => ({ rowid, similarity: dot(v, q) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, 10);
    const got = new Set(candidates);
    found += exact.filter((e) => got.has(e.rowid)).length;
  }
  return { ms: summarize(samples), recall: found / (queries.length * 10), queries: queries.length };
}
