import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../store.js';
import { idf, indexStats, tokenize } from './search-index.js';

/**
 * Top-k keyword ranking from the impact-ordered lists of common terms (search-top-lists.ts), for queries whose
 * every word is common: ranking all their matches would read hundreds of thousands of rows. The heads of the
 * query terms' lists are the candidates; FTS5 scores those with its own bm25 (so scores are exact), and the filters
 * apply to them. The result is provably the exact top `limit` when the last hit outscores any message outside the
 * candidates could (each term's weight is below its list's last candidate, allowing for avgdl's drift since the list
 * was built); a prefix's rare expansions have no list, so prefix results are not proven.
 */

export interface RankedRow {
  rid: number;
  score: number;
}

export interface TopListRanking {
  /** Candidates that match the query and pass the filters, best first (bm25, then newest). */
  rows: RankedRow[];
  /** True when no message outside the candidates can rank among the returned ones. */
  exact: boolean;
}

interface TrackedTerm {
  term: string;
  docs: number;
  threshold: number;
  avgdl: number;
}

/** Candidates read from the head of each term's list, as a multiple of `limit` (then grown once if that is not enough). */
const HEAD = (limit: number) => limit * 4 + 100;
const GROWTH = 8;
/** Several words whose rarest is in at most this many messages are ranked exactly (bench/results/search.json). */
const MAX_EXACT_AND_DOCS = 60_000;

/**
 * Ranks from the lists, or returns null when they do not apply: a word that is not a tracked (common) term, whose
 * matches are few enough to rank them all, or a word FTS5 splits into several terms.
 * `passing` keeps the rowids that satisfy the filters (and live sessions).
 */
export async function rankFromTopLists(
  store: Store,
  words: readonly string[],
  prefixLast: boolean,
  match: string,
  limit: number,
  passing: (rids: number[]) => Promise<Set<number>>,
): Promise<TopListRanking | null> {
  const tokens = await tokenize(store, words);
  if (tokens.some((t) => t.length !== 1)) return null;
  const terms = tokens.map((t) => t[0]!);
  const exactTerms = prefixLast ? terms.slice(0, -1) : terms;
  const tracked = exactTerms.length
    ? await store.db.all<TrackedTerm>(
        sql`SELECT term, docs, threshold, avgdl FROM search_top_terms WHERE term IN (${sql.join(
          exactTerms.map((t) => sql`${t}`),
          sql`, `,
        )})`,
      )
    : [];
  if (new Set(tracked.map((t) => t.term)).size !== new Set(exactTerms).size) return null;
  const prefix = prefixLast ? terms[terms.length - 1]! : null;
  const expansions =
    prefix === null
      ? []
      : await store.db.all<TrackedTerm>(
          sql`SELECT term, docs, threshold, avgdl FROM search_top_terms WHERE term >= ${prefix} AND term < ${`${prefix}\u{10FFFF}`}`,
        );
  if (prefix !== null && expansions.length === 0) return null;
  const lists = [...tracked, ...expansions];
  // Several common words: their matches are those of the rarest, which FTS5 reaches without reading the others' in
  // full, so when that one is not too common ranking every match is cheaper than reading lists that rarely overlap.
  if (exactTerms.length + (prefix === null ? 0 : 1) > 1 && Math.min(...tracked.map((t) => t.docs)) <= MAX_EXACT_AND_DOCS) return null;
  // A repeated word counts twice in bm25 but once in the bound below.
  const provable = prefix === null && new Set(exactTerms).size === exactTerms.length;

  // A prefix's weight in a message sums over its expansions, so a message can rank high without heading any one
  // expansion's list: a prefix reads its lists deeper.
  let head = prefix === null ? HEAD(limit) : HEAD(limit) * GROWTH;
  for (;;) {
    const ranking = await rankHeads(store, lists, head, match, limit, passing, provable);
    if (ranking === 'too-few' || (!ranking.exact && head < HEAD(limit) * GROWTH)) {
      if (head >= HEAD(limit) * GROWTH) return null;
      head *= GROWTH;
      continue;
    }
    return ranking;
  }
}

async function rankHeads(
  store: Store,
  lists: TrackedTerm[],
  head: number,
  match: string,
  limit: number,
  passing: (rids: number[]) => Promise<Set<number>>,
  provable: boolean,
): Promise<TopListRanking | 'too-few'> {
  const candidates = new Set<number>();
  /** Per list, the highest impact a message not read from it can have (when it was built). */
  const bounds = new Map<string, number>();
  let exhausted = true;
  for (const list of lists) {
    const rows = await store.db.all<{ rid: number; impact: number }>(
      sql`SELECT rid, impact FROM search_top_postings WHERE term = ${list.term} ORDER BY impact DESC LIMIT ${head}`,
    );
    for (const r of rows) candidates.add(Number(r.rid));
    const full = rows.length === head;
    if (full) exhausted = false;
    bounds.set(list.term, full ? Number(rows[rows.length - 1]!.impact) : list.threshold);
    if (list.threshold > 0) exhausted = false;
  }
  if (candidates.size === 0) return exhausted ? { rows: [], exact: true } : 'too-few';
  const scored = await store.db.all<RankedRow>(sql`
    SELECT rowid AS rid, bm25(messages_fts) AS score FROM messages_fts
    WHERE messages_fts MATCH ${match} AND rowid IN (${inList([...candidates])})`);
  const kept = await passing(scored.map((r) => Number(r.rid)));
  const rows = scored
    .map((r) => ({ rid: Number(r.rid), score: Number(r.score) }))
    .filter((r) => kept.has(r.rid))
    .sort((x, y) => x.score - y.score || y.rid - x.rid)
    .slice(0, limit);
  if (rows.length < limit) return exhausted ? { rows, exact: provable } : 'too-few';
  if (!provable) return { rows, exact: false };
  // bm25 is minus the sum over terms of idf·impact; outside the candidates each term's impact is below its bound,
  // scaled by how much a longer mean length (avgdl) since the list was built can raise it.
  const stats = await indexStats(store);
  let bound = 0;
  for (const list of lists) {
    const drift = list.avgdl > 0 ? Math.max(1, stats.avgdl / list.avgdl) : Infinity;
    bound += idf(stats.rows, list.docs) * bounds.get(list.term)! * drift;
  }
  const last = -rows[rows.length - 1]!.score;
  return { rows, exact: last >= bound * (1 + 1e-9) };
}

export function inList(values: number[]): SQL {
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}
