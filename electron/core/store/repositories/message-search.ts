import { sql, type SQL } from 'drizzle-orm';
import type { Message, SearchFilters, SearchHit } from '../../../../shared/index.js';
import type { Store } from '../store.js';
import { MIN_PREFIX } from './search-index.js';
import { scratchSnippets, withScratch } from './search-scratch.js';
import { inList } from './sql-list.js';
import { rankFromTopLists, type RankedRow } from './search-top-rank.js';

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

/**
 * Full-text search over finished messages of live sessions, best bm25 rank first over the whole history (an old
 * message that matches best outranks a newer one), narrowed by the filters. This is the keyword search; other modes
 * (semantic, hybrid) call it. Snippets are made by FTS5 for the returned hits only, matches wrapped in
 * SNIPPET_OPEN/SNIPPET_CLOSE. See docs/decisions/0024-search.md.
 */
export async function searchMessages(store: Store, query: string, limit: number, filters: SearchFilters): Promise<SearchHit[]> {
  const ranked = await rankKeywordMatches(store, query, limit, filters);
  if (ranked.length === 0) return [];
  const found = await store.db.all<HitRow & { text: string }>(sql`
    SELECT m.rowid AS rid, m.id AS message_id, m.session_id, s.title AS session_title, m.role, m.model, m.depth, m.created_at, m.text
    FROM messages m JOIN sessions s ON s.id = m.session_id
    WHERE m.rowid IN (${inList(ranked.map((r) => r.rid))})`);
  const byRid = new Map(found.map((r) => [Number(r.rid), r]));
  const rows = ranked.flatMap((r) => byRid.get(r.rid) ?? []);
  const snippets = await withScratch(
    store,
    rows.map((r) => ({ rid: Number(r.rid), text: r.text })),
    () => scratchSnippets(store, toFtsQuery(query)),
  );
  return rows.map((r) => ({
    messageId: r.message_id,
    sessionId: r.session_id,
    sessionTitle: r.session_title,
    role: r.role,
    model: r.model,
    depth: Number(r.depth),
    snippet: snippets.get(Number(r.rid)) ?? '',
    createdAt: Number(r.created_at),
  }));
}

/**
 * The best `limit` matches (rowid and bm25 score, best first) that pass the filters. A query of common words is
 * ranked from their impact-ordered lists (search-top-rank.ts), or within a chat by scoring all that chat's messages;
 * anything else (a rarer word) ranks every match in FTS5, which is cheap for it.
 */
export async function rankKeywordMatches(store: Store, query: string, limit: number, filters: SearchFilters): Promise<RankedRow[]> {
  const words = searchTerms(query);
  if (words.length === 0) return [];
  const match = toFtsQuery(query);
  const conditions = sql.join(filterConditions(filters), sql` AND `);
  /** The texts of the messages `where` picks that pass the filters. */
  const textsWhere = async (where: SQL) =>
    (
      await store.db.all<{ rid: number; text: string }>(sql`
        SELECT m.rowid AS rid, m.text FROM messages m JOIN sessions s ON s.id = m.session_id WHERE ${where} AND ${conditions}`)
    ).map((r) => ({ rid: Number(r.rid), text: r.text }));
  const passing = (rids: number[]) => textsWhere(sql`m.rowid IN (${inList(rids)})`);
  const prefixLast = words[words.length - 1]!.length >= MIN_PREFIX;
  // A chat's messages are few next to a common word's matches: they are all scored (FTS5 asked per message would
  // seek the word's whole list each time; ranking all its matches reads them all).
  const chat = filters.sessionId;
  const scope = chat === undefined ? undefined : () => textsWhere(sql`m.session_id = ${chat} AND m.status <> 'streaming'`);
  const fromLists = await rankFromTopLists(store, words, prefixLast, limit, passing, scope);
  if (fromLists) return fromLists.rows;

  // Ranking inside FTS5 alone is several times cheaper than ranking the join (bench/results/search.json), so the best
  // CANDIDATES matches are ranked there first. If enough of them pass the filters, they are the exact top `limit`
  // (every other match ranks lower); otherwise the whole join is ranked, which is exact too.
  const candidates = limit * 4 + 100;
  const best = (
    await store.db.all<RankedRow>(sql`
    SELECT rowid AS rid, bm25(messages_fts) AS score FROM messages_fts WHERE messages_fts MATCH ${match} ORDER BY bm25(messages_fts), rowid DESC LIMIT ${candidates}`)
  ).map((r) => ({ rid: Number(r.rid), score: Number(r.score) }));
  const kept = new Set(best.length === 0 ? [] : (await passing(best.map((r) => r.rid))).map((r) => r.rid));
  const top = best.filter((r) => kept.has(r.rid)).slice(0, limit);
  if (top.length === limit || best.length < candidates) return top;
  const rows = await store.db.all<RankedRow>(sql`
    SELECT m.rowid AS rid, bm25(messages_fts) AS score
    FROM messages_fts f
    JOIN messages m ON m.rowid = f.rowid
    JOIN sessions s ON s.id = m.session_id
    WHERE messages_fts MATCH ${match} AND ${conditions}
    ORDER BY bm25(messages_fts), m.rowid DESC
    LIMIT ${limit}`);
  return rows.map((r) => ({ rid: Number(r.rid), score: Number(r.score) }));
}
