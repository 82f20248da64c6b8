import { chmod, cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { migrationsDir, tempDir } from '../../../tests/helpers/core.js';
import { DEFAULT_SETTINGS } from '../core.js';
import { MessagesRepository } from './repositories/messages.js';
import { SessionsRepository } from './repositories/sessions.js';
import { Store } from './store.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function openTemp() {
  const { dir, remove } = await tempDir();
  const store = await Store.open(dir, migrationsDir);
  cleanups.push(remove, () => store.close());
  return { dir, store };
}

describe('Store', () => {
  it('runs the migrations and turns on WAL and foreign keys', async () => {
    const { store } = await openTemp();
    const journal = await store.db.get<{ journal_mode: string }>('PRAGMA journal_mode' as never);
    expect(journal.journal_mode).toBe('wal');
    const fk = await store.db.get<{ foreign_keys: number }>('PRAGMA foreign_keys' as never);
    expect(fk.foreign_keys).toBe(1);
    const tables = await store.db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name" as never);
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['sessions', 'messages', 'tool_calls', 'agent_steps', 'attachments', 'messages_fts', 'meta']),
    );
  });

  it('keeps a stable device id across restarts', async () => {
    const { dir, store } = await openTemp();
    const first = store.deviceId;
    await store.close();
    const again = await Store.open(dir, migrationsDir);
    cleanups.push(() => again.close());
    expect(again.deviceId).toBe(first);
  });

  it('survives hundreds of concurrent writes without SQLITE_BUSY', async () => {
    const { store } = await openTemp();
    const sessions = new SessionsRepository(store);
    const created = await Promise.all(
      Array.from({ length: 300 }, (_, i) => sessions.create({ title: `s${i}`, titleSource: 'user', settings: DEFAULT_SETTINGS })),
    );
    await Promise.all(created.map((s, i) => sessions.rename(s.id, `renamed ${i}`, 'user')));
    const page = await sessions.list(null, 200);
    expect(page.items).toHaveLength(200);
    expect(page.items.every((s) => s.title.startsWith('renamed'))).toBe(true);
  });

  it('refuses a corrupt database file, names it and leaves it untouched', async () => {
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    const file = path.join(dir, 'coda.db');
    await writeFile(file, 'this is not a database, it is a shopping list');
    await expect(Store.open(dir, migrationsDir)).rejects.toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}.*cannot be opened`));
    expect(await readFile(file, 'utf8')).toBe('this is not a database, it is a shopping list');
  });

  it('names the data folder when it cannot be written', async () => {
    if (process.getuid?.() === 0) {
      // root ignores permission bits; a path under a regular file is unwritable for everyone.
      const { dir, remove } = await tempDir();
      cleanups.push(remove);
      await writeFile(path.join(dir, 'file'), '');
      const bad = path.join(dir, 'file', 'data');
      await expect(Store.open(bad, migrationsDir)).rejects.toThrow(`The data folder ${bad} cannot be written`);
      return;
    }
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    await chmod(dir, 0o500);
    await expect(Store.open(path.join(dir, 'data'), migrationsDir)).rejects.toThrow('cannot be written');
  });

  it('copies the database to a backup before running pending migrations, and keeps the data', async () => {
    // An older version of the app: the same migrations without the newest one.
    const { dir: older, remove } = await tempDir('coda-old-migrations-');
    cleanups.push(remove);
    await cp(migrationsDir, older, { recursive: true });
    const journalFile = path.join(older, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: { tag: string }[] };
    const newest = journal.entries.pop()!;
    await writeFile(journalFile, JSON.stringify(journal));
    await rm(path.join(older, `${newest.tag}.sql`));

    const { dir: dataDir, remove: removeData } = await tempDir();
    cleanups.push(removeData);
    const old = await Store.open(dataDir, older);
    // Written as that version wrote it: only the columns its schema has (today's repository writes newer ones).
    const session = { id: '0190a000-0000-7000-8000-00000000beef' };
    await old.db.run(
      sql`INSERT INTO sessions (id, title, title_source, settings, message_count, last_activity_at, created_at, updated_at) VALUES (${session.id}, 'keep me', 'user', ${JSON.stringify(DEFAULT_SETTINGS)}, 0, 1, 1, '0')`,
    );
    await old.close();

    const upgraded = await Store.open(dataDir, migrationsDir);
    cleanups.push(() => upgraded.close());
    expect(upgraded.backupFile).not.toBeNull();
    expect(await readdir(path.join(dataDir, 'backups'))).toHaveLength(1);
    expect((await new SessionsRepository(upgraded).require(session.id)).title).toBe('keep me');
    // Opening again with nothing pending takes no new backup.
    await upgraded.close();
    const again = await Store.open(dataDir, migrationsDir);
    cleanups.push(() => again.close());
    expect(again.backupFile).toBeNull();
  });

  it('pages sessions most recent first and finds messages by full-text search', async () => {
    const { store } = await openTemp();
    const sessions = new SessionsRepository(store);
    const messages = new MessagesRepository(store);
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await sessions.create({ title: `s${i}`, titleSource: 'user', settings: DEFAULT_SETTINGS }));
    // Activity orders by wall-clock ms: let one pass so the new message is strictly the most recent activity.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const { user, assistant } = await messages.addExchange(made[1]!.id, null, 'How do penguins stay warm?', {
      provider: 'openai',
      model: 'gpt-4.1-mini',
      estimatedInputTokens: null,
      traceId: null,
    });
    expect(user.depth).toBe(0);
    expect(assistant.depth).toBe(1);
    const first = await sessions.list(null, 2);
    expect(first.items.map((s) => s.title)).toEqual(['s1', 's4']);
    const second = await sessions.list(first.nextCursor, 2);
    expect(second.items.map((s) => s.title)).toEqual(['s3', 's2']);
    const third = await sessions.list(second.nextCursor, 2);
    expect(third.items.map((s) => s.title)).toEqual(['s0']);
    expect(third.nextCursor).toBeNull();

    expect((await messages.search('penguin', 10)).map((h) => h.messageId)).toEqual([user.id]);
    // A streaming answer is not indexed until it finishes.
    expect(await messages.search('feathers', 10)).toEqual([]);
    await messages.finish(assistant.id, {
      status: 'complete',
      provider: 'openai',
      model: 'gpt-4.1-mini',
      route: [],
      estimatedInputTokens: null,
      text: 'Dense feathers and huddling.',
      reasoning: '',
      usage: null,
      costUsd: null,
      providerResponseId: null,
      firstTokenAt: null,
      error: null,
    });
    expect((await messages.search('feathers', 10)).map((h) => h.messageId)).toEqual([assistant.id]);
    // Query syntax typed by a user is matched literally, never parsed as FTS5 operators.
    expect(await messages.search('NEAR( "* OR', 10)).toEqual([]);
    await sessions.softDelete(made[1]!.id);
    expect(await messages.search('feathers', 10)).toEqual([]);
  });
});

describe('session settings', () => {
  it('keeps both of two changes made at the same time', async () => {
    const { dir, remove } = await tempDir();
    const store = await Store.open(dir, migrationsDir);
    cleanups.push(remove, () => store.close());
    const sessions = new SessionsRepository(store);
    const session = await sessions.create({ title: 's', titleSource: 'user', settings: DEFAULT_SETTINGS });
    await Promise.all([
      sessions.updateSettings(session.id, { systemPrompt: 'Be brief.' }),
      sessions.updateSettings(session.id, { fallbacks: [{ provider: 'gemini', model: 'gemini-2.5-flash' }] }),
      sessions.updateSettings(session.id, { temperature: 0.2 }),
    ]);
    expect((await sessions.require(session.id)).settings).toMatchObject({
      systemPrompt: 'Be brief.',
      fallbacks: [{ provider: 'gemini', model: 'gemini-2.5-flash' }],
      temperature: 0.2,
    });
  });
});
