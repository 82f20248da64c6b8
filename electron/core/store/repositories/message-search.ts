import { sql, type SQL } from 'drizzle-orm';
import { SNIPPET_CLOSE, SNIPPET_OPEN, type Message, type SearchFilters, type SearchHit } from '../../../../shared/index.js';
import type { Store } from '../store.js';

/** The shortest last word matched as a prefix. */
const MIN_PREFIX = 4;
/** Words of context a snippet shows around its matches (FTS5 snippet() caps this at 64). */
const SNIPPET_TOKENS = 16;

function searchTerms(query: string): string[] {
  return query.match(/[\p{L}\p{N}_]+/gu) ?? [];
}

/**
 * Treats the user's words as terms to match, never as FTS5 query syntax. Only the last word, being typed, matches
 * as a prefix, and only from 4 characters: a shorter prefix ("the"*) merges so many words' lists that it costs
 * ~200 ms over a million messages (bench/results/store.json), while a prefix index would triple the index's size.
 */
export function toFtsQuery(query: string): string {
  const terms = searchTerms(query);
  if (terms.length === 0) return '""';
  return terms.map((t, i) => (i === terms.length - 1 && t.length >= MIN_PREFIX ? `"${t}"*` : `"${t}"`)).join(' ');
}

/** The filters as SQL conditions on `m` (messages) and `s` (sessions), all of which must hold. */
export function filterConditions(f: SearchFilters): SQL[] {
  const conditions: SQL[] = [sql`s.deleted_at IS NULL`, sql`m.deleted_at IS NULL`];
  if (f.sessionId !== undefined) conditions.push(sql`m.session_id = ${f.sessionId}`);
  if (f.role !== undefined) conditions.push(sql`m.role = ${f.role}`);
  if (f.from !== undefined) conditions.push(sql`m.created_at >= ${f.from}`);
  if (f.to !== undefined) conditions.push(sql`m.created_at < ${f.to}`);
  if (f.model !== undefined) conditions.push(sql`m.model = ${f.model}`);
  if (f.hasToolCalls !== undefined) {
    const exists = sql`EXISTS (SELECT 1 FROM tool_calls t WHERE t.message_id = m.id)`;
    conditions.push(f.hasToolCalls ? exists : sql`NOT ${exists}`);
  }
  return conditions;
}

/**
 * Full-text search over finished messages of live sessions, best bm25 rank first over the whole history (an old
 * message that matches best outranks a newer one), narrowed by the filters in the same query. Snippets are made
 * by FTS5 for the returned hits only, matches wrapped in SNIPPET_OPEN/SNIPPET_CLOSE. See docs/decisions/0024-search.md.
 */
interface HitRow {
  rid: number;
  message_id: string;
  session_id: string;
  session_title: string;
  role: Message['role'];
  model: string | null;
  depth: number;
  created_at: number;
}

export async function searchMessages(store: Store, query: string, limit: number, filters: SearchFilters): Promise<SearchHit[]> {
  if (searchTerms(query).length === 0) return [];
  const match = toFtsQuery(query);
  const conditions = sql.join(filterConditions(filters), sql` AND `);
  // Ranking inside FTS5 alone is several times cheaper than ranking the join (bench/results/search.json), so the best
  // CANDIDATES matches are ranked there first. If enough of them pass the filters, they are the exact top `limit`
  // (every other match ranks lower); otherwise the whole join is ranked, which is exact too.
  const candidates = limit * 4 + 100;
  const best = await store.db.all<{ rid: number }>(sql`
    SELECT rowid AS rid FROM messages_fts WHERE messages_fts MATCH ${match} ORDER BY bm25(messages_fts), rowid DESC LIMIT ${candidates}`);
  const order = new Map(best.map((r, i) => [Number(r.rid), i]));
  // Two queries, not one: SQLite plans the join of a ranked subquery far slower than this lookup by rowid.
  const passed =
    best.length === 0
      ? []
      : await store.db.all<HitRow>(sql`
    SELECT m.rowid AS rid, m.id AS message_id, m.session_id, s.title AS session_title, m.role, m.model, m.depth, m.created_at
    FROM messages m
    JOIN sessions s ON s.id = m.session_id
    WHERE m.rowid IN (${sql.join(
      best.map((r) => sql`${r.rid}`),
      sql`, `,
    )}) AND ${conditions}`);
  const top = passed.sort((x, y) => (order.get(Number(x.rid)) ?? 0) - (order.get(Number(y.rid)) ?? 0)).slice(0, limit);
  const rows =
    top.length === limit
      ? top
      : await store.db.all<HitRow>(sql`
    SELECT m.rowid AS rid, m.id AS message_id, m.session_id, s.title AS session_title, m.role, m.model, m.depth, m.created_at
    FROM messages_fts f
    JOIN messages m ON m.rowid = f.rowid
    JOIN sessions s ON s.id = m.session_id
    WHERE messages_fts MATCH ${match} AND ${conditions}
    ORDER BY bm25(messages_fts), m.rowid DESC
    LIMIT ${limit}`);
  if (rows.length === 0) return [];
  const snippets = await store.db.all<{ rid: number; snippet: string }>(sql`
    SELECT rowid AS rid, snippet(messages_fts, 0, ${SNIPPET_OPEN}, ${SNIPPET_CLOSE}, '…', ${SNIPPET_TOKENS}) AS snippet
    FROM messages_fts
    WHERE messages_fts MATCH ${match} AND rowid IN (${sql.join(
      rows.map((r) => sql`${r.rid}`),
      sql`, `,
    )})`);
  const byRow = new Map(snippets.map((s) => [Number(s.rid), s.snippet]));
  return rows.map((r) => ({
    messageId: r.message_id,
    sessionId: r.session_id,
    sessionTitle: r.session_title,
    role: r.role,
    model: r.model,
    depth: Number(r.depth),
    snippet: byRow.get(Number(r.rid)) ?? '',
    createdAt: Number(r.created_at),
  }));
}
