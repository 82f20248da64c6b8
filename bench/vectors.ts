import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { findPreset } from '../shared/index.js';
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
import type { BenchOptions, BenchResult, Check, Measure, Throughput } from './lib/types.js';

/**
 * Vector benchmark for semantic recall (docs/decisions/0026-semantic-recall.md), on a 100,000-message dataset built
 * like the store benchmark's (bench/.cache/vectors):
 * - backfill: 20,000 messages embedded through the real queue and the OpenAI SDK against the scripted provider
 *   server (256-dimension hashed bag-of-words vectors, 64 texts per request), messages per second;
 * - exact top-10 (vector_distance_cos over every vector, as the app searches) across all chats and within one chat;
 * - libSQL's vector index (libsql_vector_idx, DiskANN) on the first INDEX_ROWS vectors: build time (and the rate
 *   that means for 100k), top-10 latency through vector_top_k, and its recall against the exact top 10.
 */

export const description = 'semantic recall: embedding backfill throughput, exact top-10 p95 over 100k vectors, vector index build time';

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

    // Queries: new sentences from the same generator, embedded as the scripted server does.
    const text = createTextGenerator(7);
    const queries = Array.from({ length: 40 }, () => Float32Array.from(hashedEmbedding(text.message('user'), DIMS)));
    const key = embedder.key;
    const all = await sample((i) => embeddings.nearest(key, queries[i % queries.length]!, { limit: 10 }), {
      warmup: 3,
      iterations: 40,
      maxSeconds: 30,
      minIterations: 10,
    });
    measures.push({ id: 'exact.all-chats', label: 'exact top-10 over 100k vectors (all chats)', ms: all, target: target(all, TOP_K_TARGET_MS) });
    log(`  exact top-10, all chats: p50 ${all.p50} ms, p95 ${all.p95} ms`);
    const session = await store.db.get<{ id: string }>(sql`SELECT id FROM sessions LIMIT 1`);
    const one = await sample((i) => embeddings.nearest(key, queries[i % queries.length]!, { limit: 10, filters: { sessionId: session.id } }), {
      warmup: 3,
      iterations: 40,
      maxSeconds: 10,
    });
    measures.push({ id: 'exact.one-chat', label: 'exact top-10 within one chat (100 messages)', ms: one, target: target(one, TOP_K_TARGET_MS) });
    log(`  exact top-10, one chat: p95 ${one.p95} ms`);

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
    measures.push({ id: 'exact.index-rows', label: `exact top-10 over the same ${INDEX_ROWS.toLocaleString('en-US')} vectors`, ms: exactSmall, target: null });
    let found = 0;
    for (const q of queries) {
      const bytes = Buffer.from(q.buffer);
      const approx = await store.db.all<{ id: number }>(sql`SELECT id FROM vector_top_k('bench_vectors_idx', ${bytes}, 10)`);
      const exact = await store.db.all<{ rid: number }>(sql`SELECT rid FROM bench_vectors ORDER BY vector_distance_cos(v, ${bytes}) LIMIT 10`);
      const got = new Set(approx.map((r) => Number(r.id)));
      found += exact.filter((r) => got.has(Number(r.rid))).length;
    }
    const recall = found / (queries.length * 10);
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
