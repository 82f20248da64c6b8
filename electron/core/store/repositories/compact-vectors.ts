import { sql } from 'drizzle-orm';
import { CompactIndex } from '../../recall/compact-index.js';
import type { Store } from '../store.js';

/** Rows written by another process (the CLI beside the app) are looked for this far before the last look (clock slack). */
const SYNC_SLACK_MS = 60_000;

/** Rows read at a time while loading. */
const LOAD_SLICE = 2_000;

/** A saved vector, as the write path tells the index about it. */
export interface SavedVector {
  rowid: number;
  model: string;
  vector: Float32Array;
}

/**
 * The compact copies (CompactIndex) of one model's embeddings, held in memory for search across every chat. Loaded at
 * first use from `message_embeddings` (its ternary bit sets, 64 bytes a 256-dimension vector), then kept in step:
 * - vectors saved by this process are told by the repository's `save` (the only writer of embeddings);
 * - rows written by another process (the data version of the connection changes) are read again by their time;
 * - rows deleted (a message or chat deleted: the cascade) or taken by another model are dropped when a search finds
 *   them missing. Soft-deleted messages and chats keep their entries: the search's filters leave them out, and a
 *   restored chat is found again.
 * A search for another model (or size) replaces the index.
 */
export class CompactVectors {
  private index: CompactIndex | null = null;
  private loading: { model: string; dims: number; promise: Promise<CompactIndex>; saved: SavedVector[] } | null = null;
  private dataVersion: number | null = null;
  /** Rows created since this time (ms) may be missing from the index when another process wrote them. */
  private seenUntil = 0;

  constructor(private readonly store: Store) {}

  /**
   * Whether the copies are kept at all: the app and serve mode turn this on at start (a one-shot CLI command would
   * spend longer loading them than on the one exact search it makes).
   */
  enabled = false;

  /**
   * The copies of `model`'s `dims`-sized vectors if they are held (brought up to date), else null: the caller
   * searches exactly this time, and, when enabled, they start loading for the next search.
   */
  async ready(model: string, dims: number): Promise<CompactIndex | null> {
    if (this.holds(model, dims)) return this.get(model, dims);
    if (this.enabled) void this.get(model, dims).catch(() => undefined);
    return null;
  }

  /** The copies of `model`'s `dims`-sized vectors, up to date; loads them when they are not the ones held. */
  async get(model: string, dims: number): Promise<CompactIndex> {
    const held = this.index;
    if (held && this.holds(model, dims)) {
      await this.syncOthers(held);
      return held;
    }
    if (this.loading && this.loading.model === model && this.loading.dims === dims) return this.loading.promise;
    const saved: SavedVector[] = [];
    const promise: Promise<CompactIndex> = this.load(model, dims)
      .then((index) => {
        // Vectors saved while the rows were read: setting them again is harmless.
        for (const s of saved) apply(index, s);
        if (this.loading === loading) this.index = index;
        return index;
      })
      .finally(() => {
        if (this.loading === loading) this.loading = null;
      });
    const loading = { model, dims, saved, promise };
    this.loading = loading;
    return promise;
  }

  private holds(model: string, dims: number): boolean {
    return this.index?.model === model && this.index.dims === dims;
  }

  /** What the index holds, if any (the benchmark reports it). */
  held(): CompactIndex | null {
    return this.index;
  }

  /** Called by the write path once vectors are committed. */
  saved(vectors: readonly SavedVector[]): void {
    for (const v of vectors) {
      if (this.index) apply(this.index, v);
      this.loading?.saved.push(v);
    }
  }

  private async load(model: string, dims: number): Promise<CompactIndex> {
    this.index = null;
    const since = Date.now();
    const version = await this.readDataVersion();
    const [counted] = await this.store.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM message_embeddings WHERE model = ${model} AND dims = ${dims}`);
    const index = new CompactIndex(model, dims, Number(counted?.n ?? 0) + 1024);
    // In slices by rowid, letting other work run between them: the database calls block the thread (libSQL runs
    // locally in this process), and a large history takes most of a second to read.
    for (let after = -1; ;) {
      const rows = await this.store.db.all<{ rid: number; embedding: ArrayBuffer | Uint8Array }>(sql`
        SELECT rowid AS rid, embedding FROM message_embeddings NOT INDEXED
        WHERE rowid > ${after} AND model = ${model} AND dims = ${dims} ORDER BY rowid LIMIT ${LOAD_SLICE}`);
      for (const row of rows) index.set(Number(row.rid), asVector(row.embedding));
      if (rows.length < LOAD_SLICE) break;
      after = Number(rows.at(-1)!.rid);
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.dataVersion = version;
    this.seenUntil = since;
    return index;
  }

  /** Another process committed since the last look: reads the embedding rows it may have written. */
  private async syncOthers(index: CompactIndex): Promise<void> {
    const version = await this.readDataVersion();
    if (version === this.dataVersion) return;
    const since = Date.now();
    const rows = await this.store.db.all<{ rid: number; model: string; dims: number; embedding: ArrayBuffer | Uint8Array }>(sql`
      SELECT rowid AS rid, model, dims, embedding FROM message_embeddings WHERE created_at >= ${this.seenUntil - SYNC_SLACK_MS}`);
    for (const row of rows) {
      if (row.model === index.model && Number(row.dims) === index.dims) index.set(Number(row.rid), asVector(row.embedding));
      else index.delete(Number(row.rid));
    }
    this.dataVersion = version;
    this.seenUntil = since;
  }

  /** Changes when another connection commits (never for this connection's own writes). */
  private async readDataVersion(): Promise<number> {
    const row = await this.store.db.get<{ data_version: number }>(sql`PRAGMA data_version`);
    return Number(row.data_version);
  }
}

function apply(index: CompactIndex, saved: SavedVector): void {
  if (saved.model === index.model && saved.vector.length === index.dims) index.set(saved.rowid, saved.vector);
  else index.delete(saved.rowid);
}

/** A stored vector's little-endian float32 bytes as a Float32Array (copied when they are not aligned). */
function asVector(value: ArrayBuffer | Uint8Array): Float32Array {
  if (!(value instanceof Uint8Array)) return new Float32Array(value, 0, value.byteLength >> 2);
  if (value.byteOffset % 4 === 0) return new Float32Array(value.buffer, value.byteOffset, value.byteLength >> 2);
  return new Float32Array(value.slice().buffer, 0, value.byteLength >> 2);
}
