import { sql } from 'drizzle-orm';
import type { Store } from '../store.js';
import { idf, impact, indexStats, MIN_PREFIX, prefixKey, tokenize } from './search-index.js';
import { inList } from './sql-list.js';
import { countPhrases, withScratch, type Phrase, type ScratchRow } from './search-scratch.js';

/**
 * Top-k keyword ranking from the impact-ordered lists of common terms (search-top-lists.ts), for queries whose
 * every word is common: ranking all their matches would read hundreds of thousands of rows. The heads of the
 * query terms' lists are the candidates; the filters apply to them, and they are scored with FTS5's bm25 formula
 * from their exact term counts and lengths (search-scratch.ts) and the index's own N, avgdl and message counts. The result is provably the exact top `limit` when the last hit outscores any message outside the
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

/**
 * Candidates read from the head of each term's list: `limit` and a margin, grown 4x (up to twice) when too few pass
 * the filters, once when the result is not proven; each candidate costs a row read and re-indexing its text.
 */
const HEAD = (limit: number) => limit * 2 + 20;
const GROWTH = 4;
const MAX_HEAD = (limit: number) => HEAD(limit) * GROWTH * GROWTH;
/** Several words whose rarest is in at most this many messages (or 5% of them) are ranked exactly (see 0024). */
const MAX_EXACT_AND_DOCS = 60_000;
const MAX_EXACT_AND_SHARE = 0.05;

/**
 * Ranks from the lists, or returns null when they do not apply: a word that is not a tracked (common) term, whose
 * matches are few enough to rank them all, or a word FTS5 splits into several terms. `passing` gives the text of
 * the candidates that satisfy the filters (and live sessions).
 */
export async function rankFromTopLists(
  store: Store,
  words: readonly string[],
  prefixLast: boolean,
  limit: number,
  passing: (rids: number[]) => Promise<ScratchRow[]>,
  /** Rank these messages (a chat's, that pass the filters) instead of reading the lists' heads: all of them, exactly. */
  scope?: () => Promise<ScratchRow[]>,
): Promise<TopListRanking | null> {
  const tokens = await tokenize(store, words);
  if (tokens.some((t) => t.length !== 1)) return null;
  const terms = tokens.map((t) => t[0]!);
  const exactTerms = prefixLast ? terms.slice(0, -1) : terms;
  const tracked = exactTerms.length
    ? await store.db.all<TrackedTerm>(sql`SELECT term, docs, threshold, avgdl FROM search_top_terms WHERE term IN (${inList(exactTerms)})`)
    : [];
  if (new Set(tracked.map((t) => t.term)).size !== new Set(exactTerms).size) return null;
  const prefix = prefixLast ? terms[terms.length - 1]! : null;
  // A prefix of MIN_PREFIX characters has its own list; a longer one takes candidates from the list of its first
  // MIN_PREFIX characters and from its common expansions' lists, which do not prove the result.
  const keyList =
    prefix === null
      ? undefined
      : // all, not get: drizzle's get fails on a raw query that finds no row.
        (await store.db.all<TrackedTerm>(sql`SELECT term, docs, threshold, avgdl FROM search_top_terms WHERE term = ${prefixKey(prefix)}`))[0];
  const prefixListed = keyList !== undefined && prefix!.length === MIN_PREFIX;
  const expansions =
    prefix === null || prefixListed
      ? []
      : await store.db.all<TrackedTerm>(
          sql`SELECT term, docs, threshold, avgdl FROM search_top_terms
              WHERE term >= ${prefix} AND term < ${`${prefix}\u{10FFFF}`} AND substr(term, -1) <> '*'`,
        );
  if (prefix !== null && keyList === undefined && expansions.length === 0) return null;
  // Several common words: their matches are those of the rarest, which FTS5 reaches without reading the others' in
  // full, so when that one is not too common ranking every match is cheaper than reading lists that rarely overlap.
  const stats = await indexStats(store);
  const rarest = Math.min(...tracked.map((t) => Number(t.docs)), prefixListed ? Number(keyList.docs) : Infinity);
  if (!scope && terms.length > 1 && rarest <= Math.min(MAX_EXACT_AND_DOCS, stats.rows * MAX_EXACT_AND_SHARE)) return null;

  const byTerm = new Map(tracked.map((t) => [t.term, t]));
  const phrases: Phrase[] = terms.map((term, i) => ({ term, prefix: prefix !== null && i === terms.length - 1 }));
  const prefixDocs = prefixListed
    ? Number(keyList.docs)
    : // A longer prefix's message count is not kept: its first characters' count, or its expansions' summed, stands in.
      Math.min(
        stats.rows,
        Math.max(
          Number(keyList?.docs ?? 0),
          expansions.reduce((n, e) => n + Number(e.docs), 0),
        ),
      );
  const weights = phrases.map((p) => idf(stats.rows, p.prefix ? prefixDocs : Number(byTerm.get(p.term)!.docs)));
  /** The lists whose heads bound the result, with the phrase each one weighs. */
  const bounding = tracked.map((list) => ({ list, phrase: phrases.findIndex((p) => !p.prefix && p.term === list.term) }));
  if (prefixListed) bounding.push({ list: keyList, phrase: phrases.length - 1 });
  /** Lists that only add candidates: a longer prefix's. */
  const extra = prefix === null || prefixListed ? [] : [...(keyList ? [keyList] : []), ...expansions];
  // A repeated word counts twice in bm25 but once in the bound.
  const provable = extra.length === 0 && new Set(exactTerms).size === exactTerms.length;

  /** The best `limit` of `rows` by bm25, from their exact term counts and lengths and the index's N, avgdl and idf. */
  const score = (rows: ScratchRow[]) =>
    withScratch(store, rows, async () => {
      const counts = await countPhrases(store, phrases);
      const scored: RankedRow[] = [];
      for (const [rid, c] of counts) {
        if (c.tf.some((tf) => tf === 0)) continue;
        const sum = c.tf.reduce((total, tf, i) => total + weights[i]! * impact(tf, c.dl, stats.avgdl), 0);
        scored.push({ rid, score: -sum });
      }
      return scored.sort((x, y) => x.score - y.score || y.rid - x.rid).slice(0, limit);
    });
  // Within a chat every message is scored: exact, but for a longer prefix's estimated idf next to other words.
  if (scope) return { rows: await score(await scope()), exact: extra.length === 0 || terms.length === 1 };

  // A prefix is not proven, so its candidates are read deeper from the start.
  let head = provable ? HEAD(limit) : HEAD(limit) * 2;
  for (;;) {
    const heads = await readHeads(
      store,
      bounding.map((b) => b.list),
      extra,
      head,
    );
    const rows = heads.candidates.length === 0 ? [] : await passing(heads.candidates);
    const ranked = await score(rows);
    if (ranked.length < limit) {
      if (heads.complete) return { rows: ranked, exact: provable };
      if (head >= MAX_HEAD(limit)) return null;
      head *= GROWTH;
      continue;
    }
    if (!provable) return { rows: ranked, exact: false };
    // bm25 is minus the sum over terms of idf·impact; outside the candidates each term's impact is below its bound,
    // scaled by how much a longer mean length (avgdl) since the list was built can raise it.
    let bound = 0;
    for (const { list, phrase } of bounding) {
      const drift = list.avgdl > 0 ? Math.max(1, stats.avgdl / list.avgdl) : Infinity;
      bound += weights[phrase]! * heads.bounds.get(list.term)! * drift;
    }
    // Ties with the bound count as proven: a message left out could only tie the last hit, not beat it.
    const exact = -ranked[ranked.length - 1]!.score >= bound * (1 - 1e-9);
    // Unproven after one growth (words that are each in most messages, whose idf FTS5 clamps to nearly 0): reading
    // deeper costs more than it gains, so the best candidates are the answer.
    if (exact || head >= HEAD(limit) * GROWTH) return { rows: ranked, exact };
    head *= GROWTH;
  }
}

interface Heads {
  candidates: number[];
  /** Per exact term, the highest impact a message not read from its list can have (when the list was built). */
  bounds: Map<string, number>;
  /** Every list was read to its end and holds every match (nothing was left out by a threshold). */
  complete: boolean;
}

async function readHeads(store: Store, lists: TrackedTerm[], extra: TrackedTerm[], head: number): Promise<Heads> {
  const candidates = new Set<number>();
  const bounds = new Map<string, number>();
  let complete = true;
  for (const list of lists) {
    const rows = await store.db.all<{ rid: number; impact: number }>(
      sql`SELECT rid, impact FROM search_top_postings WHERE term = ${list.term} ORDER BY impact DESC LIMIT ${head}`,
    );
    for (const r of rows) candidates.add(Number(r.rid));
    const full = rows.length === head;
    if (full || list.threshold > 0) complete = false;
    bounds.set(list.term, full ? Number(rows[rows.length - 1]!.impact) : Number(list.threshold));
  }
  if (extra.length > 0) {
    // A message's weight for a prefix grows with all its expansions together, so their lists are merged by the sum.
    const rows = await store.db.all<{ rid: number }>(sql`
      SELECT rid FROM search_top_postings WHERE term IN (${inList(extra.map((l) => l.term))})
      GROUP BY rid ORDER BY sum(impact) DESC LIMIT ${head}`);
    for (const r of rows) candidates.add(Number(r.rid));
    complete = false;
  }
  return { candidates: [...candidates], bounds, complete };
}
