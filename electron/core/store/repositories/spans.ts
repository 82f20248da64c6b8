import { asc, count, eq, lt, sql } from 'drizzle-orm';
import type { SpanAttributes, SpanEvent, TraceSpan } from '../../../../shared/index.js';
import { spans } from '../schema.js';
import type { Store } from '../store.js';

type SpanRow = typeof spans.$inferSelect;

/** Fewer samples of an operation than this, and its 90th percentile says nothing: no span is flagged against it. */
export const MIN_SAMPLES_FOR_P90 = 10;

/** The spans the tracing exporter writes, read back for an answer's waterfall, and pruned after their retention. */
export class SpansRepository {
  constructor(private readonly store: Store) {}

  /** One batch from the exporter, as one multi-row INSERT through the store's single writer: all of it or none. */
  async insertBatch(batch: TraceSpan[]): Promise<void> {
    if (batch.length === 0) return;
    const rows: SpanRow[] = batch.map((s) => ({
      spanId: s.spanId,
      traceId: s.traceId,
      parentSpanId: s.parentSpanId,
      name: s.name,
      kind: s.kind,
      startMs: s.start,
      durationMs: s.duration,
      status: s.status,
      statusMessage: s.statusMessage,
      attributes: s.attributes,
      events: s.events,
    }));
    // A span exported twice (a retried batch) keeps its first row.
    await this.store.write((db) => db.insert(spans).values(rows).onConflictDoNothing());
  }

  async forTrace(traceId: string): Promise<TraceSpan[]> {
    const rows = await this.store.db.select().from(spans).where(eq(spans.traceId, traceId)).orderBy(asc(spans.startMs)).all();
    return rows.map(toSpan);
  }

  /**
   * The 90th percentile of each named operation's duration over every kept span (nearest rank, computed by SQLite
   * with window functions), for names with at least MIN_SAMPLES_FOR_P90 spans.
   */
  async p90ByName(names: string[]): Promise<Map<string, number>> {
    const wanted = [...new Set(names)];
    if (wanted.length === 0) return new Map();
    const list = sql.join(
      wanted.map((n) => sql`${n}`),
      sql`, `,
    );
    const rows = await this.store.db.all<{ name: string; p90: number }>(sql`
      SELECT name, duration_ms AS p90 FROM (
        SELECT name, duration_ms,
               ROW_NUMBER() OVER (PARTITION BY name ORDER BY duration_ms) AS rank,
               COUNT(*) OVER (PARTITION BY name) AS total
        FROM spans WHERE name IN (${list})
      )
      WHERE total >= ${MIN_SAMPLES_FOR_P90} AND rank = CAST(((total * 9) + 9) / 10 AS INTEGER)`);
    return new Map(rows.map((r) => [r.name, Number(r.p90)]));
  }

  /** Deletes spans that started before `beforeMs`; returns how many. */
  async pruneBefore(beforeMs: number): Promise<number> {
    const result = await this.store.write((db) => db.delete(spans).where(lt(spans.startMs, beforeMs)).run());
    return result.rowsAffected;
  }

  async count(): Promise<number> {
    const row = await this.store.db.select({ n: count() }).from(spans).get();
    return row?.n ?? 0;
  }
}

function toSpan(row: SpanRow): TraceSpan {
  return {
    traceId: row.traceId,
    spanId: row.spanId,
    parentSpanId: row.parentSpanId,
    name: row.name,
    kind: row.kind,
    start: row.startMs,
    duration: row.durationMs,
    status: row.status,
    statusMessage: row.statusMessage,
    attributes: row.attributes as SpanAttributes,
    events: row.events as SpanEvent[],
  };
}
