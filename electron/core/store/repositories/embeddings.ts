import { sql, type SQL } from 'drizzle-orm';
import type { SearchFilters } from '../../../../shared/index.js';
import { filterConditions as searchFilterConditions } from './message-search.js';
import type { Store } from '../store.js';
import type { CompactIndex } from '../../recall/compact-index.js';
import { CompactVectors } from './compact-vectors.js';
import { inList } from './sql-list.js';

/** A message waiting for its embedding. */
export interface PendingMessage {
  id: string;
  sessionId: string;
  text: string;
}

/** A message near a query vector, closest first. */
export interface NearMessage {
  messageId: string;
  sessionId: string;
  sessionTitle: string;
  role: 'user' | 'assistant';
  depth: number;
  model: string | null;
  text: string;
  createdAt: number;
  /** Cosine similarity, 1 for the same direction. */
  similarity: number;
}

/**
 * Which messages are embedded: finished questions and answers with text, of live chats. Tool output and failed
 * answers are not worth recalling.
 */
const EMBEDDABLE = sql`m.deleted_at IS NULL AND m.role IN ('user', 'assistant') AND m.status = 'complete' AND m.text <> ''`;

/** A message with its chat's title, as `MESSAGE_COLUMNS` reads it (over `m` messages and `s` sessions). */
export interface MessageRow {
  message_id: string;
  session_id: string;
  title: string;
  role: 'user' | 'assistant';
  depth: number;
  model: string | null;
  text: string;
  created_at: number;
}

export const MESSAGE_COLUMNS = sql`m.id AS message_id, m.session_id, s.title, m.role, m.depth, m.model, m.text, m.created_at`;

/** A found message as recall and search use it (without its similarity). */
export function foundMessage(r: MessageRow): Omit<NearMessage, 'similarity'> {
  return {
    messageId: r.message_id,
    sessionId: r.session_id,
    sessionTitle: r.title,
    role: r.role,
    depth: Number(r.depth),
    model: r.model,
    text: r.text,
    createdAt: Number(r.created_at),
  };
}

function vectorBytes(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

/**
 * Search across every chat takes this many of the best by the in-memory bit sets (for dense vectors) to be scored on
 * their int8 copies; bench/vectors.ts measures how many of the exact top 10 this finds.
 */
const FIRST_PASS = 3_000;

/** Message embeddings (libSQL F32_BLOB vectors) for semantic recall and search; see docs/decisions/0026-semantic-recall.md. */
export class EmbeddingsRepository {
  /** The compact in-memory copies that search across every chat ranks first (once `warm` has turned them on). */
  readonly compact: CompactVectors;

  constructor(private readonly store: Store) {
    this.compact = new CompactVectors(store);
  }

  /**
   * Keeps compact copies of the vectors in memory for search across every chat from now on, and loads `model`'s
   * (the app calls it at start, in the background; until they are loaded, searches are exact scans).
   */
  async warm(model: string): Promise<void> {
    this.compact.enabled = true;
    const row = await this.store.db.get<{ dims: number } | undefined>(sql`SELECT dims FROM message_embeddings WHERE model = ${model} LIMIT 1`);
    if (row) await this.compact.get(model, Number(row.dims));
  }

  /** Messages without an embedding by `model`, oldest first. */
  async pending(model: string, limit: number): Promise<PendingMessage[]> {
    const rows = await this.store.db.all<{ id: string; session_id: string; text: string }>(sql`
      SELECT m.id, m.session_id, m.text FROM messages m
      LEFT JOIN message_embeddings e ON e.message_id = m.id AND e.model = ${model}
      WHERE ${EMBEDDABLE} AND e.message_id IS NULL
      ORDER BY m.rowid LIMIT ${limit}`);
    return rows.map((r) => ({ id: r.id, sessionId: r.session_id, text: r.text }));
  }

  /** Those of `ids` that are embeddable and lack an embedding by `model` (messages just saved). */
  async pendingAmong(model: string, ids: readonly string[]): Promise<PendingMessage[]> {
    if (ids.length === 0) return [];
    const rows = await this.store.db.all<{ id: string; session_id: string; text: string }>(sql`
      SELECT m.id, m.session_id, m.text FROM messages m
      LEFT JOIN message_embeddings e ON e.message_id = m.id AND e.model = ${model}
      WHERE m.id IN (${inList(ids)}) AND ${EMBEDDABLE} AND e.message_id IS NULL
      ORDER BY m.rowid`);
    return rows.map((r) => ({ id: r.id, sessionId: r.session_id, text: r.text }));
  }

  /** How many messages are embeddable, and how many of them `model` has embedded. */
  async progress(model: string): Promise<{ embedded: number; total: number }> {
    const [row] = await this.store.db.all<{ total: number; embedded: number }>(sql`
      SELECT count(*) AS total, count(e.message_id) AS embedded FROM messages m
      LEFT JOIN message_embeddings e ON e.message_id = m.id AND e.model = ${model}
      WHERE ${EMBEDDABLE}`);
    return { embedded: Number(row?.embedded ?? 0), total: Number(row?.total ?? 0) };
  }

  /** Saves vectors (replacing another model's), in one transaction. */
  async save(model: string, rows: { message: PendingMessage; vector: Float32Array }[]): Promise<void> {
    if (rows.length === 0) return;
    const now = Date.now();
    await this.store.write(async (db) => {
      const statements = rows.map(
        ({ message, vector }) => sql`
        INSERT INTO message_embeddings (message_id, session_id, model, dims, embedding, created_at)
        SELECT ${message.id}, ${message.sessionId}, ${model}, ${vector.length}, ${vectorBytes(vector)}, ${now}
        WHERE EXISTS (SELECT 1 FROM messages WHERE id = ${message.id})
        ON CONFLICT (message_id) DO UPDATE SET session_id = excluded.session_id, model = excluded.model, dims = excluded.dims,
          embedding = excluded.embedding, created_at = excluded.created_at`,
      );
      const [first, ...rest] = statements.map((s) => db.run(s));
      await db.batch([first!, ...rest]);
      // The in-memory index learns the rows' ids (an upsert keeps a row's id; a deleted message saved nothing).
      const saved = await db.all<{ rid: number; message_id: string }>(sql`
        SELECT rowid AS rid, message_id FROM message_embeddings WHERE message_id IN (${inList(rows.map((r) => r.message.id))})`);
      const vectors = new Map(rows.map((r) => [r.message.id, r.vector]));
      this.compact.saved(saved.map((r) => ({ rowid: Number(r.rid), model, vector: vectors.get(r.message_id)! })));
    });
  }

  /**
   * The messages nearest to `vector` among those `model` embedded, closest first, at least `minSimilarity` similar,
   * narrowed by `filters` and without `exclude`. Exact: every vector is compared (libSQL's vector index was measured
   * too slow to build and approximate, see docs/decisions/0026-semantic-recall.md). The vectors are ranked alone first
   * (joining every row to its message and chat cost more than the distances), then the best candidates are checked
   * against the filters; if too few pass, the filtered join is ranked whole, which is exact too.
   */
  async nearest(
    model: string,
    vector: Float32Array,
    options: { limit: number; minSimilarity?: number; filters?: SearchFilters; exclude?: readonly string[] },
  ): Promise<NearMessage[]> {
    const bytes = vectorBytes(vector);
    const own: SQL[] = [sql`e.model = ${model}`, sql`e.dims = ${vector.length}`];
    // The session filter is applied on the embeddings' own column, so its index narrows the scan to one chat.
    if (options.filters?.sessionId !== undefined) own.push(sql`e.session_id = ${options.filters.sessionId}`);
    if (options.exclude && options.exclude.length > 0) own.push(sql`e.message_id NOT IN (${inList(options.exclude)})`);
    const maxDistance = 1 - (options.minSimilarity ?? -1);
    const candidates = options.limit * 4 + 50;
    const compact = options.filters?.sessionId === undefined ? await this.compact.ready(model, vector.length) : null;
    const best = compact
      ? await this.nearestEverywhere(compact, model, vector, candidates, options.exclude ?? [])
      : await this.store.db.all<{ message_id: string; distance: number }>(sql`
      SELECT e.message_id, vector_distance_cos(e.embedding, ${bytes}) AS distance FROM message_embeddings e
      WHERE ${sql.join(own, sql` AND `)} ORDER BY distance LIMIT ${candidates}`);
    const close = best.filter((b) => Number(b.distance) <= maxDistance);
    if (close.length === 0) return [];
    const filters = sql.join(searchFilterConditions(options.filters ?? {}), sql` AND `);
    const distance = new Map(close.map((b) => [b.message_id, Number(b.distance)]));
    let rows = (
      await this.store.db.all<NearRow>(sql`
      SELECT ${MESSAGE_COLUMNS}, 0 AS distance
      FROM messages m JOIN sessions s ON s.id = m.session_id
      WHERE m.id IN (${inList(close.map((b) => b.message_id))}) AND ${filters}`)
    )
      .map((r) => ({ ...r, distance: distance.get(r.message_id) ?? 2 }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, options.limit);
    if (rows.length < options.limit && best.length === candidates && close.length === best.length)
      rows = await this.store.db.all<NearRow>(sql`
        SELECT ${MESSAGE_COLUMNS}, d.distance FROM (
          SELECT e.message_id, vector_distance_cos(e.embedding, ${bytes}) AS distance
          FROM message_embeddings e JOIN messages m ON m.id = e.message_id JOIN sessions s ON s.id = m.session_id
          WHERE ${sql.join([...own, filters], sql` AND `)}
          ORDER BY distance LIMIT ${options.limit}
        ) d
        JOIN messages m ON m.id = d.message_id JOIN sessions s ON s.id = m.session_id
        WHERE d.distance <= ${maxDistance}
        ORDER BY d.distance`);
    return rows.map((r) => ({ ...foundMessage(r), similarity: 1 - Number(r.distance) }));
  }

  /**
   * The `count` vectors of `model` nearest to `vector` across every chat, without `exclude`: the compact copies in
   * memory name the candidates, which are ranked exactly by their stored vectors (read by rowid).
   * Candidates whose row is gone (deleted, or re-embedded by another model) leave the index.
   */
  private async nearestEverywhere(
    index: CompactIndex,
    model: string,
    vector: Float32Array,
    count: number,
    exclude: readonly string[],
  ): Promise<{ message_id: string; distance: number }[]> {
    // The int8 estimate is within a fraction of a percent of the exact cosine, and `count` is already several times
    // the results asked for (room for filters): only that many are read again (~0.02-0.1 ms a row here).
    const rowids = index.nearest(vector, count + exclude.length, FIRST_PASS);
    if (rowids.length === 0) return [];
    const changes = index.changes;
    // NOT INDEXED: given the model, SQLite would walk the (model, session) index over every row to test the rowids.
    const ranked = await this.store.db.all<{ rid: number; message_id: string; distance: number }>(sql`
      SELECT rowid AS rid, message_id, vector_distance_cos(embedding, ${vectorBytes(vector)}) AS distance
      FROM message_embeddings NOT INDEXED
      WHERE rowid IN (${sql.raw(rowids.join(', '))}) AND model = ${model} AND dims = ${vector.length}`);
    if (index.changes === changes && ranked.length < rowids.length) {
      const found = new Set(ranked.map((r) => Number(r.rid)));
      for (const rowid of rowids) if (!found.has(rowid)) index.delete(rowid);
    }
    const excluded = new Set(exclude);
    return ranked
      .filter((r) => !excluded.has(r.message_id))
      .map((r) => ({ message_id: r.message_id, distance: Number(r.distance) }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, count);
  }
}

interface NearRow extends MessageRow {
  distance: number;
}
