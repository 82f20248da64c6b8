import { sql } from 'drizzle-orm';
import type { Store } from '../store.js';

/**
 * What keyword search needs to know about the FTS index without ranking it: the size and mean message length bm25
 * uses, its idf, a term's weight in one message, and how FTS5 tokenizes the user's words.
 */

/** messages_fts's tokenizer (set in the migrations): the connection-local indexes use it too, so they count terms as it does. */
export const FTS_TOKENIZER = `tokenize='porter unicode61 remove_diacritics 2'`;

/** The shortest last word matched as a prefix. */
export const MIN_PREFIX = 4;

/**
 * A prefix of MIN_PREFIX characters has a top list of its own under this key ('*' never occurs in an FTS term), with
 * a message's weight for the whole prefix (its expansions' counts summed, as FTS5 counts a prefix phrase).
 */
export function prefixKey(prefix: string): string {
  return `${prefix.slice(0, MIN_PREFIX)}*`;
}

/** FTS5's bm25 parameters (fts5_aux.c): k1 = 1.2, b = 0.75. */
const K1 = 1.2;
const B = 0.75;

export interface IndexStats {
  /** Indexed messages (bm25's N). */
  rows: number;
  /** Mean indexed message length in tokens (bm25's avgdl). */
  avgdl: number;
}

/** FTS5's idf for a phrase found in `docs` of `rows` messages, clamped as FTS5 clamps it. */
export function idf(rows: number, docs: number): number {
  const value = Math.log((rows - docs + 0.5) / (docs + 0.5));
  return value > 0 ? value : 1e-6;
}

/** bm25's weight of a term in one message, without the idf: what search_top_postings.impact holds. */
export function impact(tf: number, dl: number, avgdl: number): number {
  return (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * dl) / avgdl));
}

/**
 * N and avgdl as bm25 reads them: FTS5's averages record (rowid 1 of messages_fts_data), a varint row count then the
 * column's token total. One row, so this costs nothing next to counting.
 */
export async function indexStats(store: Store): Promise<IndexStats> {
  const row = await store.db.get<{ block: ArrayBuffer | Uint8Array | null }>(sql`SELECT block FROM messages_fts_data WHERE id = 1`);
  if (!row?.block) return { rows: 0, avgdl: 0 };
  const bytes = row.block instanceof Uint8Array ? row.block : new Uint8Array(row.block);
  const [rows, next] = readVarint(bytes, 0);
  const [tokens] = readVarint(bytes, next);
  return { rows, avgdl: rows > 0 ? tokens / rows : 0 };
}

/** SQLite's variable-length integer: 7 bits a byte, high bit set on all but the last, a whole 9th byte. */
function readVarint(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const byte = bytes[at + i] ?? 0;
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return [value, at + i + 1];
  }
  return [value * 256 + (bytes[at + 8] ?? 0), at + 9];
}

/**
 * The FTS terms of each word, as messages_fts's tokenizer makes them ("Files" → "file"): the words go through a
 * connection-local (temp) FTS5 table with the same tokenizer, so no stemmer is reimplemented and the main database
 * is not written. A word may give no term (punctuation only) or several.
 */
export async function tokenize(store: Store, words: readonly string[]): Promise<string[][]> {
  // IF NOT EXISTS: temp tables belong to the connection, which the client may have replaced.
  await store.db.run(sql.raw(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_query USING fts5(text, ${FTS_TOKENIZER})`));
  await store.db.run(sql.raw(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_query_tokens USING fts5vocab(temp, search_query, instance)`));
  try {
    if (words.length > 0)
      await store.db.run(
        sql`INSERT INTO temp.search_query(rowid, text) VALUES ${sql.join(
          words.map((word, i) => sql`(${i + 1}, ${word})`),
          sql`, `,
        )}`,
      );
    const rows = await store.db.all<{ term: string; doc: number }>(sql.raw(`SELECT term, doc FROM temp.search_query_tokens ORDER BY doc, "offset"`));
    const terms: string[][] = words.map(() => []);
    for (const row of rows) terms[Number(row.doc) - 1]?.push(row.term);
    return terms;
  } finally {
    await store.db.run(sql.raw(`DELETE FROM temp.search_query`));
  }
}
