import { sql } from 'drizzle-orm';
import type { Store } from '../store.js';
import { inList } from './sql-list.js';
import { foundMessage, MESSAGE_COLUMNS, type MessageRow, type NearMessage } from './embeddings.js';

/** Words too common to say what a question is about. */
const STOP_WORDS = new Set(
  'the and for are but not you all any can had her was one our out has him his how its may new now see two who did get let say she too use that with have this will your from they been were what when which their there would about could other into than then them these some only also just more most such very'.split(
    ' ',
  ),
);

/** The question's distinct telling words (at most 12), as an FTS5 query matching any of them. */
export function anyWordQuery(question: string): string | null {
  const words = [...new Set((question.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []).filter((w) => w.length >= 3 && !STOP_WORDS.has(w)))];
  return words.length === 0
    ? null
    : words
        .slice(0, 12)
        .map((w) => `"${w}"`)
        .join(' OR ');
}

/**
 * Recall without embeddings: the earlier finished questions and answers sharing the most telling words with the
 * question (FTS5 bm25 over any of its words), best first, from one chat or all, without `exclude`.
 */
export async function keywordNeighbours(
  store: Store,
  question: string,
  options: { limit: number; sessionId?: string; exclude: readonly string[] },
): Promise<Omit<NearMessage, 'similarity'>[]> {
  const match = anyWordQuery(question);
  if (!match || options.limit === 0) return [];
  const excluded = new Set(options.exclude);
  // Across chats, ranked by FTS5 alone first (cheap), then the best candidates are checked against live rows; within
  // one chat, its matches are ranked directly (other chats' matches must not crowd them out of a candidate window).
  const limit = options.limit * 4 + excluded.size + 50;
  const candidates = await store.db.all<{ rid: number }>(
    options.sessionId === undefined
      ? sql`SELECT rowid AS rid FROM messages_fts WHERE messages_fts MATCH ${match} ORDER BY bm25(messages_fts) LIMIT ${limit}`
      : sql`SELECT f.rowid AS rid FROM messages_fts f JOIN messages m ON m.rowid = f.rowid
            WHERE messages_fts MATCH ${match} AND m.session_id = ${options.sessionId} ORDER BY bm25(messages_fts) LIMIT ${limit}`,
  );
  if (candidates.length === 0) return [];
  const order = new Map(candidates.map((c, i) => [Number(c.rid), i]));
  const rows = await store.db.all<MessageRow & { rid: number }>(sql`
    SELECT m.rowid AS rid, ${MESSAGE_COLUMNS}
    FROM messages m JOIN sessions s ON s.id = m.session_id
    WHERE m.rowid IN (${inList(candidates.map((c) => c.rid))})
      AND m.deleted_at IS NULL AND s.deleted_at IS NULL AND m.role IN ('user', 'assistant') AND m.status = 'complete'
      ${options.sessionId === undefined ? sql`` : sql`AND m.session_id = ${options.sessionId}`}`);
  return rows
    .filter((r) => !excluded.has(r.message_id))
    .sort((a, b) => (order.get(Number(a.rid)) ?? 0) - (order.get(Number(b.rid)) ?? 0))
    .slice(0, options.limit)
    .map(foundMessage);
}
