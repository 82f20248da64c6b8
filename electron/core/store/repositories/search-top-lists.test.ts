import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { migrationsDir, tempDir } from '../../../../tests/helpers/core.js';
import { DEFAULT_SETTINGS } from '../../core.js';
import { newId } from '../../util/ids.js';
import { messages } from '../schema.js';
import { Store } from '../store.js';
import { toFtsQuery } from './message-search.js';
import { MessagesRepository } from './messages.js';
import { refreshTopLists } from './search-top-lists.js';
import { inList } from './sql-list.js';
import { rankFromTopLists } from './search-top-rank.js';
import { SessionsRepository } from './sessions.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** A seeded PRNG, so the planted history is the same every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const COMMON = ['the', 'file', 'and', 'config', 'configure', 'confirm'];
const FILLER = Array.from({ length: 300 }, (_, i) => `w${i.toString(36)}x`);

async function history(messageCount: number) {
  const { dir, remove } = await tempDir();
  const store = await Store.open(dir, migrationsDir);
  cleanups.push(remove, () => store.close());
  const sessions = new SessionsRepository(store);
  const chats = [
    (await sessions.create({ title: 'one', titleSource: 'user', settings: DEFAULT_SETTINGS })).id,
    (await sessions.create({ title: 'two', titleSource: 'user', settings: DEFAULT_SETTINGS })).id,
  ];
  const random = rng(42);
  const text = () => {
    const length = 3 + Math.floor(random() * 40);
    return Array.from({ length }, () => (random() < 0.35 ? COMMON[Math.floor(random() * COMMON.length)]! : FILLER[Math.floor(random() * FILLER.length)]!)).join(
      ' ',
    );
  };
  const ids: string[] = [];
  /** Adds finished messages (or one streaming, to be finished later) in one write. */
  const add = async (count: number, status: 'complete' | 'streaming' = 'complete', body?: string) => {
    const rows = Array.from({ length: count }, (_, i) => {
      const t = body ?? text();
      const id = newId();
      ids.push(id);
      return {
        id,
        sessionId: chats[i % 2]!,
        parentId: null,
        depth: 0,
        role: i % 3 === 0 ? ('user' as const) : ('assistant' as const),
        content: [{ type: 'text' as const, text: t }],
        text: t,
        model: i % 3 === 0 ? null : 'gpt-4.1-mini',
        status,
        createdAt: 1000 + ids.length,
        updatedAt: '1',
      };
    });
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      await store.write((db) => db.insert(messages).values(chunk));
    }
    return rows.map((r) => r.id);
  };
  await add(messageCount);
  const repo = new MessagesRepository(store);
  /** The exact top `limit` by bm25 over every match in live sessions, as message ids. */
  const exact = async (query: string, limit: number, where = sql`1`) =>
    (
      await store.db.all<{ id: string }>(sql`
        SELECT m.id FROM messages_fts f JOIN messages m ON m.rowid = f.rowid JOIN sessions s ON s.id = m.session_id
        WHERE messages_fts MATCH ${toFtsQuery(query)} AND s.deleted_at IS NULL AND m.deleted_at IS NULL AND ${where}
        ORDER BY bm25(messages_fts), m.rowid DESC LIMIT ${limit}`)
    ).map((r) => r.id);
  const found = async (query: string, limit: number, filters = {}) => (await repo.search(query, limit, filters)).map((h) => h.messageId);
  const listed = async (term: string) =>
    (await store.db.all<{ rid: number }>(sql`SELECT rid FROM search_top_postings WHERE term = ${term}`)).map((r) => Number(r.rid));
  return { store, repo, chats, add, exact, found, listed, sessions };
}

const OPTIONS = { minDocs: 200, keep: 40, sliceMatches: 150 };

describe('top lists of common terms', () => {
  it('give the same hits, in the same order, as ranking every match', async () => {
    const h = await history(3000);
    const refresh = await refreshTopLists(h.store, OPTIONS);
    expect(refresh.built).toBeGreaterThanOrEqual(COMMON.length - 1);
    const fromLists = (query: string) =>
      rankFromTopLists(h.store, query.split(' '), false, 10, async (rids) =>
        h.store.db.all<{ rid: number; text: string }>(sql`SELECT rowid AS rid, text FROM messages WHERE rowid IN (${inList(rids)})`),
      );
    for (const query of ['the', 'file', 'and']) {
      // Served from the lists, proven to be the exact top 10, and it is.
      expect((await fromLists(query))?.exact, query).toBe(true);
      expect(await h.found(query, 10), query).toEqual(await h.exact(query, 10));
    }
    // Two words that are each in most messages: the lists' candidates do not prove the result here (a message may rank
    // high on both without heading either list), and it says so; most of the exact top 10 are found.
    const both = await fromLists('the file');
    expect(both?.exact).toBe(false);
    const exactBoth = await h.exact('the file', 10);
    expect((await h.found('the file', 10)).filter((id) => exactBoth.includes(id)).length).toBeGreaterThanOrEqual(7);
    // A 4-letter prefix has a list of its own (all its expansions counted together): exact too.
    const prefixed = await rankFromTopLists(h.store, ['conf'], true, 10, async (rids) =>
      h.store.db.all<{ rid: number; text: string }>(sql`SELECT rowid AS rid, text FROM messages WHERE rowid IN (${inList(rids)})`),
    );
    expect(prefixed?.exact).toBe(true);
    expect(await h.found('conf', 10)).toEqual(await h.exact('conf', 10));
    // A longer prefix takes candidates from that list and its common expansions': not proven, most of the exact top 10.
    const exactLonger = await h.exact('confi', 10);
    expect((await h.found('confi', 10)).filter((id) => exactLonger.includes(id)).length).toBeGreaterThanOrEqual(7);
  });

  it('stay exact as messages are added, finished and deleted after they were built', async () => {
    const h = await history(2000);
    await refreshTopLists(h.store, OPTIONS);
    // New short messages that outrank everything built so far: the triggers must add them to the lists.
    const [planted] = await h.add(1, 'complete', 'file file file');
    const [prefixed] = await h.add(1, 'complete', 'confirm configured conference config confirms configs confirm configured conference config');
    const [streaming] = await h.add(1, 'streaming', 'the the the the');
    expect(await h.found('file', 5)).toEqual(await h.exact('file', 5));
    expect((await h.found('file', 1))[0]).toBe(planted);
    expect((await h.found('conf', 1))[0]).toBe(prefixed);
    expect(await h.found('conf', 10)).toEqual(await h.exact('conf', 10));
    // A streaming message is not searchable until it finishes; then it is, and listed.
    expect(await h.found('the', 50)).not.toContain(streaming);
    await h.store.write((db) => db.run(sql`UPDATE messages SET status = 'complete' WHERE id = ${streaming}`));
    expect((await h.found('the', 1))[0]).toBe(streaming);
    expect(await h.found('the', 10)).toEqual(await h.exact('the', 10));
    // Deleting a message takes it out of every list and out of the counts bm25's idf uses.
    const rid = Number((await h.store.db.get<{ r: number }>(sql`SELECT rowid AS r FROM messages WHERE id = ${planted}`))!.r);
    const docs = async () => Number((await h.store.db.get<{ d: number }>(sql`SELECT docs AS d FROM search_top_terms WHERE term = 'file'`))!.d);
    const before = await docs();
    expect(await h.listed('file')).toContain(rid);
    await h.store.write((db) => db.run(sql`DELETE FROM messages WHERE id = ${planted}`));
    expect(await h.listed('file')).not.toContain(rid);
    expect(await docs()).toBe(before - 1);
    expect(await h.found('file', 10)).toEqual(await h.exact('file', 10));
  });

  it('leave out deleted chats and messages and keep every filter', async () => {
    const h = await history(3000);
    await refreshTopLists(h.store, OPTIONS);
    const top = await h.found('the', 5);
    // Soft-deleting the chat of the best hit and a message of the other chat removes them from the results.
    const chatOf = async (id: string) => (await h.store.db.get<{ s: string }>(sql`SELECT session_id AS s FROM messages WHERE id = ${id}`))!.s;
    const gone = await chatOf(top[0]!);
    await h.sessions.softDelete(gone);
    const after = await h.found('the', 10);
    expect(after).toEqual(await h.exact('the', 10));
    for (const id of after) expect(await chatOf(id)).not.toBe(gone);
    const kept = h.chats.find((c) => c !== gone)!;
    const victim = after[0]!;
    await h.store.write((db) => db.run(sql`UPDATE messages SET deleted_at = 1 WHERE id = ${victim}`));
    expect(await h.found('the', 10)).not.toContain(victim);
    expect(await h.found('the', 10)).toEqual(await h.exact('the', 10));
    // Filters: role, model, date range (the lists' candidates first, every match when too few pass), chat.
    expect(await h.found('file', 10, { role: 'user' })).toEqual(await h.exact('file', 10, sql`m.role = 'user'`));
    expect(await h.found('file', 10, { model: 'gpt-4.1-mini' })).toEqual(await h.exact('file', 10, sql`m.model = 'gpt-4.1-mini'`));
    expect(await h.found('file', 10, { from: 1500, to: 1600 })).toEqual(await h.exact('file', 10, sql`m.created_at >= 1500 AND m.created_at < 1600`));
    expect(await h.found('the', 10, { sessionId: kept })).toEqual(await h.exact('the', 10, sql`m.session_id = ${kept}`));
  });
});
