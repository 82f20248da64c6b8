import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { migrationsDir, tempDir } from '../../../../tests/helpers/core.js';
import { hashedEmbedding } from '../../../../tests/provider-server/embeddings.js';
import { DEFAULT_SETTINGS } from '../../core.js';
import { newId } from '../../util/ids.js';
import { messages } from '../schema.js';
import { Store } from '../store.js';
import { EmbeddingsRepository, type NearMessage } from './embeddings.js';
import { SessionsRepository } from './sessions.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const MODEL = 'openai/text-embedding-3-small';
const OTHER_MODEL = 'ollama/nomic-embed-text';
const WORDS =
  'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu'.split(
    ' ',
  );
const vectorOf = (text: string) => Float32Array.from(hashedEmbedding(text, 256));

/** A store with chats of messages whose texts mix the same few words, so many are near any question. */
async function seeded(dir?: string) {
  const made = dir ? null : await tempDir();
  const store = await Store.open(dir ?? made!.dir, migrationsDir);
  cleanups.push(() => store.close());
  if (made) cleanups.push(made.remove);
  const sessions = new SessionsRepository(store);
  const embeddings = new EmbeddingsRepository(store);
  const texts = new Map<string, string>();
  let n = 0;
  const add = async (sessionId: string, text: string) => {
    const id = newId();
    await store.write((db) =>
      db.insert(messages).values({
        id,
        sessionId,
        parentId: null,
        depth: 0,
        role: 'user',
        content: [{ type: 'text', text }],
        text,
        status: 'complete',
        createdAt: ++n,
        updatedAt: String(n),
      }),
    );
    texts.set(id, text);
    return { id, sessionId, text };
  };
  const chat = async (title: string, count: number) => {
    const session = await sessions.create({ title, titleSource: 'user', settings: DEFAULT_SETTINGS });
    const added = [];
    for (let i = 0; i < count; i++)
      added.push(await add(session.id, Array.from({ length: 6 }, (_, k) => WORDS[(i * 7 + k * 3 + title.length) % WORDS.length]).join(' ')));
    return { id: session.id, messages: added };
  };
  const embed = (model: string, list: { id: string; sessionId: string; text: string }[]) =>
    embeddings.save(
      model,
      list.map((message) => ({ message, vector: vectorOf(message.text) })),
    );
  return { dir: dir ?? made!.dir, store, sessions, embeddings, texts, add, chat, embed };
}

/** The exact ranking, computed here from the texts of the messages still searchable. */
function exactTop(live: Map<string, string>, question: string, limit: number) {
  const q = vectorOf(question);
  return [...live]
    .map(([id, text]) => ({ id, similarity: vectorOf(text).reduce((s, x, i) => s + x * q[i]!, 0) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, limit);
}

/** Same similarities as the exact ranking (messages equally near may come in either order). */
function expectExact(found: NearMessage[], live: Map<string, string>, question: string, limit: number) {
  const exact = exactTop(live, question, limit);
  expect(found.map((m) => m.similarity.toFixed(5))).toEqual(exact.map((e) => e.similarity.toFixed(5)));
  for (const m of found) expect(live.has(m.messageId)).toBe(true);
}

const QUESTION = 'alpha delta golf kilo';

describe('search across every chat (compact copies in memory, exact re-ranking)', { timeout: 60_000 }, () => {
  it('returns the exact top results, and finds vectors saved after its first search', async () => {
    const t = await seeded();
    const chats = [await t.chat('one', 120), await t.chat('two', 120), await t.chat('three', 120)];
    await t.embed(
      MODEL,
      chats.flatMap((c) => c.messages),
    );
    await t.embeddings.warm(MODEL);
    expectExact(await t.embeddings.nearest(MODEL, vectorOf(QUESTION), { limit: 10 }), t.texts, QUESTION, 10);
    expect(t.embeddings.compact.held()?.size).toBe(360);

    const planted = await t.add(chats[1]!.id, 'The Zephyr deployment password rotates every Tuesday at noon');
    await t.embed(MODEL, [planted]);
    const [first] = await t.embeddings.nearest(MODEL, vectorOf('When does the Zephyr deployment password rotate?'), { limit: 5 });
    expect(first?.messageId).toBe(planted.id);
    expectExact(await t.embeddings.nearest(MODEL, vectorOf(QUESTION), { limit: 10 }), t.texts, QUESTION, 10);
  });

  it('leaves out deleted messages and chats (soft and for good), still ranking the rest exactly', async () => {
    const t = await seeded();
    const kept = await t.chat('kept', 150);
    const gone = await t.chat('gone for good', 150);
    const trashed = await t.chat('trashed', 150);
    await t.embed(MODEL, [...kept.messages, ...gone.messages, ...trashed.messages]);
    await t.embeddings.warm(MODEL);

    await t.sessions.softDelete(trashed.id);
    await t.sessions.softDelete(gone.id);
    await t.sessions.purge(gone.id);
    const removed = kept.messages[3]!;
    await t.store.write((db) => db.update(messages).set({ deletedAt: Date.now() }).where(eq(messages.id, removed.id)));
    const live = new Map(kept.messages.filter((m) => m.id !== removed.id).map((m) => [m.id, m.text]));
    expectExact(await t.embeddings.nearest(MODEL, vectorOf(removed.text), { limit: 10 }), live, removed.text, 10);
    expectExact(await t.embeddings.nearest(MODEL, vectorOf(QUESTION), { limit: 10 }), live, QUESTION, 10);
    // The purged chat's rows are gone (foreign keys cascade) and have left the index once a search met them.
    expect(t.embeddings.compact.held()!.size).toBeLessThan(450);
  });

  it('follows a model change: another model’s vectors are searched apart, and messages re-embedded leave the old one', async () => {
    const t = await seeded();
    const chat = await t.chat('models', 200);
    await t.embed(MODEL, chat.messages);
    await t.embeddings.warm(MODEL);
    const moved = chat.messages.slice(0, 80);
    await t.embed(OTHER_MODEL, moved);

    const stillOld = new Map(chat.messages.slice(80).map((m) => [m.id, m.text]));
    expectExact(await t.embeddings.nearest(MODEL, vectorOf(QUESTION), { limit: 10 }), stillOld, QUESTION, 10);
    expect(t.embeddings.compact.held()).toMatchObject({ model: MODEL, size: 120 });
    // The first search by the new model is an exact scan, and starts loading its copies for the next ones.
    const onNew = new Map(moved.map((m) => [m.id, m.text]));
    expectExact(await t.embeddings.nearest(OTHER_MODEL, vectorOf(QUESTION), { limit: 10 }), onNew, QUESTION, 10);
    await expect.poll(() => t.embeddings.compact.held()?.model).toBe(OTHER_MODEL);
    expectExact(await t.embeddings.nearest(OTHER_MODEL, vectorOf(QUESTION), { limit: 10 }), onNew, QUESTION, 10);
    expect(t.embeddings.compact.held()).toMatchObject({ model: OTHER_MODEL, size: 80 });
  });

  it('sees vectors another process saved (the CLI beside the app)', async () => {
    const app = await seeded();
    const chat = await app.chat('shared', 100);
    await app.embed(MODEL, chat.messages);
    await app.embeddings.warm(MODEL);

    const cli = await seeded(app.dir);
    const planted = await cli.add(chat.id, 'The Zephyr deployment password rotates every Tuesday at noon');
    await cli.embed(MODEL, [planted]);
    const [first] = await app.embeddings.nearest(MODEL, vectorOf('When does the Zephyr deployment password rotate?'), { limit: 5 });
    expect(first?.messageId).toBe(planted.id);
  });

  it('searches exactly without loading anything until the copies are turned on (a one-shot CLI command)', async () => {
    const t = await seeded();
    const chat = await t.chat('cli', 100);
    await t.embed(MODEL, chat.messages);
    expectExact(await t.embeddings.nearest(MODEL, vectorOf(QUESTION), { limit: 10 }), t.texts, QUESTION, 10);
    expect(t.embeddings.compact.held()).toBeNull();
  });

  it('keeps search within one chat exact, without loading the compact copies', async () => {
    const t = await seeded();
    const a = await t.chat('a', 80);
    const b = await t.chat('b', 80);
    await t.embed(MODEL, [...a.messages, ...b.messages]);
    t.embeddings.compact.enabled = true;
    const found = await t.embeddings.nearest(MODEL, vectorOf(QUESTION), { limit: 10, filters: { sessionId: a.id } });
    expectExact(found, new Map(a.messages.map((m) => [m.id, m.text])), QUESTION, 10);
    expect(t.embeddings.compact.held()).toBeNull();
  });
});
