import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../shared/index.js';
import { startTestCore, type TestCore } from './helpers/core.js';
import { textReply } from './provider-server/script.js';

let t: TestCore;
beforeEach(async () => {
  t = await startTestCore();
});
afterEach(async () => {
  await t.dispose();
});

/** The shortest start of `id` that no other id shares. */
function uniquePrefix(id: string, others: Session[]): string {
  for (let length = 4; length <= id.length; length++) {
    const prefix = id.slice(0, length);
    if (!others.some((s) => s.id !== id && s.id.startsWith(prefix))) return prefix;
  }
  return id;
}

describe('finding a session by the start of its id', () => {
  it('resolves a whole id or an unambiguous prefix, in either case', async () => {
    const sessions = [await t.client.call('sessions.create', { title: 'One' }), await t.client.call('sessions.create', { title: 'Two' })];
    const [one] = sessions;
    expect((await t.client.call('sessions.resolve', { idPrefix: one!.id })).title).toBe('One');
    const prefix = uniquePrefix(one!.id, sessions);
    expect((await t.client.call('sessions.resolve', { idPrefix: prefix.toUpperCase() })).id).toBe(one!.id);
  });

  it('names a few matches when the prefix is ambiguous, and refuses what cannot be an id', async () => {
    const sessions: Session[] = [];
    for (const title of ['Alpha', 'Beta', 'Gamma']) sessions.push(await t.client.call('sessions.create', { title }));
    // UUIDv7 ids made close together share their first characters (the time).
    let length = 0;
    while (sessions.every((s) => s.id[length] === sessions[0]!.id[length])) length++;
    expect(length).toBeGreaterThanOrEqual(4);
    const shared = sessions[0]!.id.slice(0, Math.min(length, 8));
    const ambiguous = t.client.call('sessions.resolve', { idPrefix: shared });
    await expect(ambiguous).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining(`The id ${shared} matches several chats`),
      details: { matches: expect.arrayContaining([expect.objectContaining({ title: 'Alpha' }), expect.objectContaining({ title: 'Gamma' })]) },
    });
    await expect(t.client.call('sessions.resolve', { idPrefix: 'nope' })).rejects.toMatchObject({ code: 'not_found', message: 'No chat with id nope.' });
    await expect(t.client.call('sessions.resolve', { idPrefix: 'ffffffff' })).rejects.toMatchObject({
      code: 'not_found',
      message: 'No chat with id ffffffff.',
    });
    await expect(t.client.call('sessions.resolve', { idPrefix: '01a' })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('at least 4 characters'),
    });
  });

  it('looks in the trash only when asked, and says where the chat is otherwise', async () => {
    const session = await t.client.call('sessions.create', { title: 'Binned' });
    await t.client.call('sessions.delete', { id: session.id });
    await expect(t.client.call('sessions.resolve', { idPrefix: session.id })).rejects.toMatchObject({
      code: 'not_found',
      message: `No chat with id ${session.id} (it is in the trash: restore it first).`,
    });
    expect((await t.client.call('sessions.resolve', { idPrefix: session.id, trash: true })).title).toBe('Binned');
  });
});

describe('the trash', () => {
  it('lists deleted sessions, most recently deleted first, and restores them', async () => {
    const a = await t.client.call('sessions.create', { title: 'A' });
    const b = await t.client.call('sessions.create', { title: 'B' });
    await t.client.call('sessions.create', { title: 'Kept' });
    await t.client.call('sessions.delete', { id: a.id });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await t.client.call('sessions.delete', { id: b.id });
    expect((await t.client.call('sessions.list', { trash: true })).items.map((s) => s.title)).toEqual(['B', 'A']);
    const firstPage = await t.client.call('sessions.list', { trash: true, limit: 1 });
    expect(firstPage.items.map((s) => s.title)).toEqual(['B']);
    const secondPage = await t.client.call('sessions.list', { trash: true, limit: 1, cursor: firstPage.nextCursor });
    expect(secondPage).toMatchObject({ items: [expect.objectContaining({ title: 'A' })], nextCursor: null });

    await t.client.call('sessions.restore', { id: a.id });
    expect((await t.client.call('sessions.list', {})).items.map((s) => s.title).sort()).toEqual(['A', 'Kept']);
    expect((await t.client.call('sessions.list', { trash: true })).items.map((s) => s.title)).toEqual(['B']);
  });
});

describe('the trash, emptied', () => {
  it('deletes a chat in the trash for good, with its messages, and refuses a live one', async () => {
    const gone = await t.client.call('sessions.create', { title: 'Gone' });
    t.provider.enqueue(textReply('An answer to lose.'));
    const started = await t.client.call('chat.send', { sessionId: gone.id, text: 'hello' });
    await t.client.followRun(started.runId);
    const live = await t.client.call('sessions.create', { title: 'Live' });
    await expect(t.client.call('sessions.purge', { id: live.id })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('not in the trash'),
    });

    await t.client.call('sessions.delete', { id: gone.id });
    expect(await t.client.call('sessions.purge', { id: gone.id })).toEqual({ purged: true });
    await expect(t.client.call('sessions.restore', { id: gone.id })).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.client.call('messages.path', { sessionId: gone.id })).rejects.toMatchObject({ code: 'not_found' });
    expect((await t.client.call('sessions.list', { trash: true })).items).toEqual([]);
  });

  it('empties the whole trash at once and leaves live chats alone', async () => {
    for (const title of ['One', 'Two', 'Three']) await t.client.call('sessions.delete', { id: (await t.client.call('sessions.create', { title })).id });
    await t.client.call('sessions.create', { title: 'Kept' });
    expect(await t.client.call('sessions.emptyTrash', {})).toEqual({ purged: 3 });
    expect((await t.client.call('sessions.list', {})).items.map((s) => s.title)).toEqual(['Kept']);
  });
});

describe('pinned chats and finding chats by title', () => {
  it('lists pinned chats on their own, most recently pinned first, and the rest without them', async () => {
    const [a, , c] = [
      await t.client.call('sessions.create', { title: 'Alpha' }),
      await t.client.call('sessions.create', { title: 'Beta' }),
      await t.client.call('sessions.create', { title: 'Gamma' }),
    ];
    expect((await t.client.call('sessions.pin', { id: a!.id, pinned: true })).pinnedAt).toEqual(expect.any(Number));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await t.client.call('sessions.pin', { id: c!.id, pinned: true });
    expect((await t.client.call('sessions.list', { pinned: true })).items.map((s) => s.title)).toEqual(['Gamma', 'Alpha']);
    expect((await t.client.call('sessions.list', { pinned: false })).items.map((s) => s.title)).toEqual(['Beta']);
    // Without the filter (the CLI's list), every chat.
    expect((await t.client.call('sessions.list', {})).items).toHaveLength(3);

    expect((await t.client.call('sessions.pin', { id: a!.id, pinned: false })).pinnedAt).toBeNull();
    expect((await t.client.call('sessions.list', { pinned: true })).items.map((s) => s.id)).toEqual([c!.id]);
    // A pinned chat in the trash is not listed as pinned.
    await t.client.call('sessions.delete', { id: c!.id });
    expect((await t.client.call('sessions.list', { pinned: true })).items).toEqual([]);
  });

  it('filters by title ignoring case, with % and _ taken as plain characters, page by page', async () => {
    for (const title of ['Tax return 2025', 'Holiday plans', 'tax notes', '100% done', 'snake_case names']) await t.client.call('sessions.create', { title });
    const titles = async (query: string, extra: { limit?: number } = {}) =>
      (await t.client.call('sessions.list', { query, ...extra })).items.map((s) => s.title);
    expect(await titles('TAX')).toEqual(['tax notes', 'Tax return 2025']);
    expect(await titles('%')).toEqual(['100% done']);
    expect(await titles('_')).toEqual(['snake_case names']);
    expect(await titles('nothing like it')).toEqual([]);
    const first = await t.client.call('sessions.list', { query: 'a', limit: 2 });
    const second = await t.client.call('sessions.list', { query: 'a', limit: 2, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((s) => s.title)).toEqual(['snake_case names', 'tax notes', 'Holiday plans', 'Tax return 2025']);
  });
});

describe('discarding a session that never got an answer', () => {
  it('removes one whose only answer failed, with its messages, and tells the app', async () => {
    const removed: string[] = [];
    t.client.onApp((event) => {
      if (event.type === 'session-changed' && event.session.deletedAt !== null) removed.push(event.session.id);
    });
    const session = await t.client.call('sessions.create', {});
    t.provider.enqueue({ kind: 'error', status: 404, message: 'The model `gpt-nope` does not exist' });
    const started = await t.client.call('chat.send', { sessionId: session.id, text: 'a unique question about zebras' });
    expect((await t.client.followRun(started.runId)).type).toBe('error');
    await t.core.chat.settle();

    expect(await t.client.call('sessions.discard', { id: session.id })).toEqual({ discarded: true });
    await expect(t.client.call('sessions.get', { id: session.id })).rejects.toMatchObject({ code: 'not_found' });
    expect((await t.client.call('sessions.list', { trash: true })).items).toEqual([]);
    expect(await t.core.messages.find(started.userMessage.id)).toBeNull();
    expect((await t.client.call('messages.search', { query: 'zebras' })).hits).toEqual([]);
    expect(removed).toEqual([session.id]);
  });

  it('refuses one that holds an answer', async () => {
    const session = await t.client.call('sessions.create', {});
    t.provider.enqueue(textReply('An answer worth keeping.'));
    const started = await t.client.call('chat.send', { sessionId: session.id, text: 'hi' });
    await t.client.followRun(started.runId);
    await t.core.chat.settle();
    await expect(t.client.call('sessions.discard', { id: session.id })).rejects.toMatchObject({ code: 'conflict' });
    expect((await t.client.call('sessions.get', { id: session.id })).messageCount).toBe(2);
  });
});
