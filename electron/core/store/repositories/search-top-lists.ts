import { sql } from 'drizzle-orm';
import { searchTopPostings, searchTopTerms } from '../schema.js';
import type { Store } from '../store.js';
import { idf, indexStats, MIN_PREFIX, prefixKey } from './search-index.js';

/**
 * Builds the impact-ordered lists of common terms (search_top_terms / search_top_postings, see schema.ts) that let
 * keyword search take the best matches of a common word without ranking all of them. The triggers keep a tracked
 * term's list current; this finds terms that became common and builds their lists, in small slices so searches and
 * writes are not held up, and trims lists that grew long. Run in the background after start; safe to re-run.
 */

export interface TopListOptions {
  /** A term gets a list once this many messages contain it (below it, ranking every match is cheap). */
  minDocs: number;
  /** The best messages kept per term; a list is trimmed back to this once it holds twice as many. */
  keep: number;
  /** Matches ranked per slice, to bound how long one read holds the connection. */
  sliceMatches: number;
  signal?: AbortSignal;
}

export const TOP_LIST_DEFAULTS: TopListOptions = { minDocs: 5000, keep: 1000, sliceMatches: 10_000 };

export interface TopListRefresh {
  built: number;
  trimmed: number;
  ms: number;
}

/** Ranges of terms read from the vocabulary at a time (by first character), so no one read scans the whole index. */
const TERM_RANGES = ['', ...'0123456789abcdefghijklmnopqrstuvwxyz'.split(''), '\u{80}'];

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function refreshTopLists(store: Store, options: Partial<TopListOptions> = {}): Promise<TopListRefresh> {
  const o = { ...TOP_LIST_DEFAULTS, ...options };
  const started = performance.now();
  const tracked = new Set((await store.db.all<{ term: string }>(sql`SELECT term FROM search_top_terms`)).map((r) => r.term));
  /** Terms with their message counts, and prefixes (docs unknown until ranked: their expansions' counts overlap). */
  const common: { term: string; docs: number | null; estimate: number }[] = [];
  for (const [i, from] of TERM_RANGES.entries()) {
    const to = TERM_RANGES[i + 1];
    const range = to === undefined ? sql`term >= ${from}` : sql`term >= ${from} AND term < ${to}`;
    const rows = await store.db.all<{ term: string; docs: number }>(
      sql`SELECT term, doc AS docs FROM messages_fts_terms WHERE ${range} AND doc >= ${o.minDocs}`,
    );
    common.push(...rows.filter((r) => !tracked.has(r.term)).map((r) => ({ term: r.term, docs: Number(r.docs), estimate: Number(r.docs) })));
    // A prefix whose expansions' counts add up to minDocs may be that common (the sum counts a message once per
    // expansion in it); ranking it finds its real count.
    const prefixes = await store.db.all<{ prefix: string; docs: number }>(
      sql`SELECT substr(term, 1, ${MIN_PREFIX}) AS prefix, sum(doc) AS docs FROM messages_fts_terms WHERE ${range} AND length(term) >= ${MIN_PREFIX}
          GROUP BY prefix HAVING sum(doc) >= ${o.minDocs}`,
    );
    common.push(...prefixes.filter((r) => !tracked.has(prefixKey(r.prefix))).map((r) => ({ term: prefixKey(r.prefix), docs: null, estimate: Number(r.docs) })));
    if (o.signal?.aborted) return { built: 0, trimmed: 0, ms: performance.now() - started };
    await nextTick();
  }
  let built = 0;
  for (const { term, docs, estimate } of common) {
    if (o.signal?.aborted) break;
    await buildList(store, term, docs, estimate, o);
    built++;
  }
  const trimmed = o.signal?.aborted ? 0 : await trimLists(store, o.keep);
  return { built, trimmed, ms: Math.round(performance.now() - started) };
}

interface Scored {
  rid: number;
  score: number;
}

/**
 * Ranks one term's matches slice by slice of rowids (bm25 with the index's own idf and avgdl), keeps the best `keep`,
 * then in one write adds the matches indexed since the scan began and starts tracking the term, so from then on the
 * triggers add every new message that belongs in the list.
 */
async function buildList(store: Store, term: string, known: number | null, estimate: number, o: TopListOptions): Promise<void> {
  const isPrefix = term.endsWith('*');
  const phrase = isPrefix ? `"${term.slice(0, -1).replaceAll('"', '""')}"*` : `"${term.replaceAll('"', '""')}"`;
  let docs = known ?? 0;
  const stats = await indexStats(store);
  const maxRid = Number((await store.db.get<{ m: number | null }>(sql`SELECT max(rowid) AS m FROM messages_fts`))?.m ?? 0);
  const span = Math.max(1000, Math.ceil((o.sliceMatches * Math.max(stats.rows, 1)) / Math.max(estimate, 1)));
  let best: Scored[] = [];
  const keepBest = (rows: Scored[]) => {
    best = best.concat(rows.map((r) => ({ rid: Number(r.rid), score: Number(r.score) })));
    best.sort((x, y) => x.score - y.score || y.rid - x.rid);
    best.length = Math.min(best.length, o.keep);
  };
  for (let lo = 0; lo < maxRid; lo += span) {
    if (o.signal?.aborted) return;
    keepBest(
      await store.db.all<Scored>(sql`
        SELECT rowid AS rid, bm25(messages_fts) AS score FROM messages_fts
        WHERE messages_fts MATCH ${phrase} AND rowid > ${lo} AND rowid <= ${lo + span} ORDER BY score LIMIT ${o.keep}`),
    );
    if (known === null) {
      const counted = await store.db.get<{ n: number }>(
        sql`SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH ${phrase} AND rowid > ${lo} AND rowid <= ${lo + span}`,
      );
      docs += Number(counted?.n ?? 0);
    }
    await nextTick();
  }
  if (docs < o.minDocs && known === null) {
    // Not common after all: remember nothing, so the next refresh asks again.
    return;
  }
  await store.write(async (db) => {
    const since = await db.all<Scored>(sql`
      SELECT rowid AS rid, bm25(messages_fts) AS score FROM messages_fts WHERE messages_fts MATCH ${phrase} AND rowid > ${maxRid}`);
    keepBest(since);
    const weight = idf(stats.rows, docs);
    const postings = best.map((r) => ({ term, impact: -r.score / weight, rid: r.rid }));
    const threshold = best.length === o.keep ? postings[postings.length - 1]!.impact : 0;
    await db.batch([
      db.delete(searchTopPostings).where(sql`${searchTopPostings.term} = ${term}`),
      db
        .insert(searchTopTerms)
        .values({ term, docs: docs + since.length, threshold, avgdl: stats.avgdl })
        .onConflictDoNothing(),
      ...chunks(postings, 300).map((rows) => db.insert(searchTopPostings).values(rows).onConflictDoNothing()),
    ]);
  });
}

/** Lists that the triggers grew past twice `keep` go back to the best `keep`, with the threshold raised to match. */
async function trimLists(store: Store, keep: number): Promise<number> {
  const long = await store.db.all<{ term: string }>(sql`SELECT term FROM search_top_postings GROUP BY term HAVING count(*) > ${keep * 2}`);
  for (const { term } of long) {
    await store.write(async (db) => {
      const [at] = await db.all<{ impact: number }>(
        sql`SELECT impact FROM search_top_postings WHERE term = ${term} ORDER BY impact DESC LIMIT 1 OFFSET ${keep - 1}`,
      );
      if (!at) return;
      await db.batch([
        db.run(sql`UPDATE search_top_terms SET threshold = max(threshold, ${at.impact}) WHERE term = ${term}`),
        db.run(sql`DELETE FROM search_top_postings WHERE term = ${term} AND impact < ${at.impact}`),
      ]);
    });
  }
  return long.length;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
