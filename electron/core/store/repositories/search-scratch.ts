import { sql } from 'drizzle-orm';
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../../../../shared/index.js';
import type { Store } from '../store.js';
import { FTS_TOKENIZER } from './search-index.js';

/**
 * A connection-local (temp) FTS5 index with messages_fts's tokenizer, for a few hundred messages at a time: asking
 * messages_fts about one message by rowid costs milliseconds for a common word (it seeks that word's long list in
 * every segment), so the candidates of a search are re-indexed here instead, where their term counts, lengths and
 * snippets come out exactly as messages_fts would give them. The main database is never written.
 */

/** Words of context a snippet shows around its matches (FTS5 snippet() caps this at 64). */
const SNIPPET_TOKENS = 16;

export interface ScratchRow {
  rid: number;
  text: string;
}

/** Per message: its length in tokens (bm25's dl) and how often each phrase occurs in it (tf), in phrase order. */
export interface Counts {
  dl: number;
  tf: number[];
}

/** A phrase of the query: one term, or a prefix (every term starting with it counts). */
export type Phrase = { term: string; prefix: boolean };

async function prepare(store: Store): Promise<void> {
  // IF NOT EXISTS: temp tables belong to the connection, which the client may have replaced.
  await store.db.run(sql.raw(`CREATE TABLE IF NOT EXISTS temp.search_texts (rowid INTEGER PRIMARY KEY, text TEXT NOT NULL)`));
  await store.db.run(
    sql.raw(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_fts USING fts5(text, content='search_texts', content_rowid='rowid', ${FTS_TOKENIZER})`),
  );
  await store.db.run(sql.raw(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_fts_tokens USING fts5vocab(temp, search_fts, instance)`));
}

/** Runs `work` with `rows` indexed in the scratch index, emptied afterwards. */
export async function withScratch<T>(store: Store, rows: readonly ScratchRow[], work: () => Promise<T>): Promise<T> {
  await prepare(store);
  try {
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      await store.db.run(
        sql`INSERT INTO temp.search_texts(rowid, text) VALUES ${sql.join(
          chunk.map((r) => sql`(${r.rid}, ${r.text})`),
          sql`, `,
        )}`,
      );
    }
    await store.db.run(sql.raw(`INSERT INTO temp.search_fts(search_fts) VALUES ('rebuild')`));
    return await work();
  } finally {
    await store.db.run(sql.raw(`INSERT INTO temp.search_fts(search_fts) VALUES ('delete-all')`));
    await store.db.run(sql.raw(`DELETE FROM temp.search_texts`));
  }
}

/** Inside withScratch: each message's length and the count of each phrase in it. */
export async function countPhrases(store: Store, phrases: readonly Phrase[]): Promise<Map<number, Counts>> {
  const counts = new Map<number, Counts>();
  const lengths = await store.db.all<{ doc: number; n: number }>(sql.raw(`SELECT doc, count(*) AS n FROM temp.search_fts_tokens GROUP BY doc`));
  for (const r of lengths) counts.set(Number(r.doc), { dl: Number(r.n), tf: phrases.map(() => 0) });
  for (const [i, p] of phrases.entries()) {
    const rows = await store.db.all<{ doc: number; n: number }>(
      p.prefix
        ? sql`SELECT doc, count(*) AS n FROM temp.search_fts_tokens WHERE term >= ${p.term} AND term < ${`${p.term}\u{10FFFF}`} GROUP BY doc`
        : sql`SELECT doc, count(*) AS n FROM temp.search_fts_tokens WHERE term = ${p.term} GROUP BY doc`,
    );
    for (const r of rows) {
      const c = counts.get(Number(r.doc));
      if (c) c.tf[i] = Number(r.n);
    }
  }
  return counts;
}

/** Inside withScratch: FTS5 snippets of the given messages for the query, matches wrapped in the markers. */
export async function scratchSnippets(store: Store, match: string): Promise<Map<number, string>> {
  const rows = await store.db.all<{ rid: number; snippet: string }>(sql`
    SELECT rowid AS rid, snippet(search_fts, 0, ${SNIPPET_OPEN}, ${SNIPPET_CLOSE}, '…', ${SNIPPET_TOKENS}) AS snippet
    FROM temp.search_fts WHERE search_fts MATCH ${match}`);
  return new Map(rows.map((r) => [Number(r.rid), r.snippet]));
}
