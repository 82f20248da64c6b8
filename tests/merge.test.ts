import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../shared/index.js';
import { messageText } from '../electron/core/cli/output.js';
import { startTestCore, type TestCore } from './helpers/core.js';
import type { RecordedRequest } from './provider-server/server.js';
import { textReply } from './provider-server/script.js';

// Merging branches and chats through core's contract, on a real store, with summaries written by the real SDKs
// against the scripted provider.
let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(async () => {
  await t.dispose();
});
beforeEach(async () => {
  t.provider.requests.length = 0;
  await t.client.call('summaries.updateSettings', { auto: false, model: null });
});

async function ask(sessionId: string, text: string, reply: string, parentId?: string) {
  t.provider.enqueue(textReply(reply));
  const started = await t.client.call('chat.send', { sessionId, text, ...(parentId ? { parentId } : {}) });
  const done = await t.client.followRun(started.runId);
  return { user: started.userMessage, answer: done.message as Message };
}

const path = async (sessionId: string) => (await t.client.call('messages.path', { sessionId })).messages;
const texts = async (sessionId: string) => (await path(sessionId)).map(messageText);
const summarizerRequests = () =>
  t.provider.requests.filter((r: RecordedRequest) => {
    const messages = r.body['messages'] as { content: string }[] | undefined;
    return r.body['stream'] === true && messages?.[0]?.content.startsWith('You condense a conversation') === true;
  });

/** A chat "Trip" with two branches after its first answer: Lisbon (older) and Porto (shown). */
async function branchedChat() {
  const session = await t.client.call('sessions.create', { title: 'Trip' });
  const first = await ask(session.id, 'Plan a trip', 'Where to?');
  const lisbon = await ask(session.id, 'Lisbon for 3 days', 'Day 1: Alfama.');
  const lisbon2 = await ask(session.id, 'Budget?', 'About 400 EUR.');
  const porto = await ask(session.id, 'Porto instead', 'Day 1: Ribeira.', first.answer.id);
  return { session, first, lisbon, lisbon2, porto };
}

describe('merge', { timeout: 60_000 }, () => {
  it('copies selected messages of a sibling branch into the branch shown, each with where it came from, and delete/restore undoes it', async () => {
    const { session, first, lisbon, lisbon2, porto } = await branchedChat();
    const before = await t.client.call('sessions.get', { id: session.id });
    const merged = await t.client.call('messages.merge', {
      targetSessionId: session.id,
      sourceSessionId: session.id,
      // Given out of order: written in path order.
      messageIds: [lisbon2.answer.id, lisbon.user.id, lisbon.answer.id],
      mode: 'messages',
    });
    expect(merged.messageCount).toBe(before.messageCount + 3);
    expect(await texts(session.id)).toEqual([
      'Plan a trip',
      'Where to?',
      'Porto instead',
      'Day 1: Ribeira.',
      'Lisbon for 3 days',
      'Day 1: Alfama.',
      'About 400 EUR.',
    ]);
    const copies = (await path(session.id)).slice(4);
    expect(copies[0]!.parentId).toBe(porto.answer.id);
    expect(copies.map((m) => m.origin)).toEqual(
      [lisbon.user, lisbon.answer, lisbon2.answer].map((m) => ({
        kind: 'copied',
        sessionId: session.id,
        messageId: m.id,
        chatTitle: 'Trip',
        mergedAt: expect.any(Number),
      })),
    );
    expect(copies.map((m) => m.id)).not.toContain(lisbon.user.id);
    expect(merged.activeLeafId).toBe(copies[2]!.id);
    // The copy is the words, not the bill: cost stays counted once, on the source answer.
    expect(copies[1]).toMatchObject({ role: 'assistant', model: lisbon.answer.model, usage: null, costUsd: null, status: 'complete' });
    expect(await texts(session.id)).toHaveLength(7);
    // The source branch is untouched.
    await t.client.call('sessions.switchBranch', { sessionId: session.id, messageId: lisbon2.answer.id });
    expect(await texts(session.id)).toEqual(['Plan a trip', 'Where to?', 'Lisbon for 3 days', 'Day 1: Alfama.', 'Budget?', 'About 400 EUR.']);

    // Undo: deleting the first merged message takes the merge away; restoring brings it back.
    await t.client.call('sessions.switchBranch', { sessionId: session.id, messageId: copies[2]!.id });
    const deleted = await t.client.call('messages.delete', { sessionId: session.id, messageId: copies[0]!.id });
    expect(deleted.count).toBe(3);
    expect(await texts(session.id)).toEqual(['Plan a trip', 'Where to?', 'Porto instead', 'Day 1: Ribeira.']);
    await t.client.call('messages.restore', { sessionId: session.id, messageId: copies[0]!.id, deletedAt: deleted.deletedAt });
    expect((await path(session.id)).map((m) => m.id)).toEqual([first.user.id, first.answer.id, porto.user.id, porto.answer.id, ...copies.map((m) => m.id)]);

    // The next question follows the merged messages, which are sent as the conversation.
    t.provider.requests.length = 0;
    await ask(session.id, 'Which is cheaper?', 'Porto.');
    const sent = (t.provider.requests.find((r) => r.body['stream'] === true)!.body['messages'] as { content: string }[]).map((m) => m.content);
    expect(sent).toContain('About 400 EUR.');
  });

  it('merges into another chat, after a chosen message, and into an empty chat', async () => {
    const { session, lisbon } = await branchedChat();
    const other = await t.client.call('sessions.create', { title: 'Notes' });
    const a = await ask(other.id, 'First note', 'Noted.');
    await ask(other.id, 'Second note', 'Noted again.');
    const merged = await t.client.call('messages.merge', {
      targetSessionId: other.id,
      targetParentId: a.answer.id,
      sourceSessionId: session.id,
      messageIds: [lisbon.answer.id],
      mode: 'messages',
    });
    expect(await texts(other.id)).toEqual(['First note', 'Noted.', 'Day 1: Alfama.']);
    expect((await path(other.id)).at(-1)!.origin).toMatchObject({ kind: 'copied', sessionId: session.id, messageId: lisbon.answer.id, chatTitle: 'Trip' });
    expect(merged.id).toBe(other.id);

    const empty = await t.client.call('sessions.create', {});
    await t.client.call('messages.merge', {
      targetSessionId: empty.id,
      sourceSessionId: session.id,
      messageIds: [lisbon.user.id, lisbon.answer.id],
      mode: 'messages',
    });
    const copied = await path(empty.id);
    expect(copied.map((m) => [m.depth, messageText(m)])).toEqual([
      [0, 'Lisbon for 3 days'],
      [1, 'Day 1: Alfama.'],
    ]);
  });

  it('refuses an empty selection, messages of two branches, deleted messages and a target message of another chat, writing nothing', async () => {
    const { session, lisbon, porto } = await branchedChat();
    const other = await t.client.call('sessions.create', { title: 'Notes' });
    const elsewhere = await ask(other.id, 'Hi', 'Hello.');
    const count = async () => (await t.client.call('sessions.get', { id: session.id })).messageCount;
    const before = await count();
    const base = { targetSessionId: session.id, sourceSessionId: session.id, mode: 'messages' as const };

    expect(await t.core.invoke('messages.merge', { ...base, messageIds: [] })).toMatchObject({
      ok: false,
      error: { code: 'validation', message: expect.stringContaining('Select at least one message') },
    });
    expect(await t.core.invoke('messages.merge', { ...base, messageIds: [lisbon.answer.id, porto.answer.id] })).toMatchObject({
      ok: false,
      error: { code: 'validation', message: expect.stringContaining('not on one branch') },
    });
    expect(await t.core.invoke('messages.merge', { ...base, targetParentId: elsewhere.answer.id, messageIds: [lisbon.answer.id] })).toMatchObject({
      ok: false,
      error: { code: 'validation', message: expect.stringContaining('not in the chat being merged into') },
    });
    expect(await t.core.invoke('messages.merge', { ...base, sourceSessionId: other.id, messageIds: [lisbon.answer.id] })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: expect.stringContaining('not in the chat being merged from') },
    });
    const { deletedAt } = await t.client.call('messages.delete', { sessionId: session.id, messageId: lisbon.user.id });
    expect(await t.core.invoke('messages.merge', { ...base, messageIds: [lisbon.answer.id] })).toMatchObject({
      ok: false,
      error: { code: 'validation', message: expect.stringContaining('is deleted') },
    });
    await t.client.call('messages.restore', { sessionId: session.id, messageId: lisbon.user.id, deletedAt });
    expect(await count()).toBe(before);
  });

  it('writes all the copies or none: a write refused halfway leaves the target branch as it was', async () => {
    const { session, lisbon, lisbon2 } = await branchedChat();
    const before = await t.client.call('sessions.get', { id: session.id });
    const shown = await texts(session.id);
    // The database refuses the third copy (the question "Budget?"), after two copies are already in the batch.
    await t.core.store.write((db) =>
      db.run(
        sql`CREATE TRIGGER refuse_budget BEFORE INSERT ON messages WHEN NEW.origin IS NOT NULL AND NEW.content LIKE '%Budget?%' BEGIN SELECT RAISE(ABORT, 'disk said no'); END`,
      ),
    );
    try {
      const result = await t.core.invoke('messages.merge', {
        targetSessionId: session.id,
        sourceSessionId: session.id,
        messageIds: [lisbon.user.id, lisbon.answer.id, lisbon2.user.id, lisbon2.answer.id],
        mode: 'messages',
      });
      expect(result).toMatchObject({ ok: false, error: { message: expect.stringContaining('disk said no') } });
    } finally {
      await t.core.store.write((db) => db.run(sql`DROP TRIGGER refuse_budget`));
    }
    const after = await t.client.call('sessions.get', { id: session.id });
    expect(after.messageCount).toBe(before.messageCount);
    expect(after.activeLeafId).toBe(before.activeLeafId);
    expect(await texts(session.id)).toEqual(shown);
  });

  it('writes one summary of the selected messages with the summarizer model, its cost counted, and writes nothing when the summarizer fails', async () => {
    const { session, lisbon, lisbon2 } = await branchedChat();
    const target = await t.client.call('sessions.create', { title: 'Decisions', settings: { provider: 'openai', model: 'gpt-4o' } });
    await ask(target.id, 'Start', 'Ready.');
    const before = await t.client.call('sessions.totals', { id: target.id });

    t.provider.enqueue(textReply('Lisbon: 3 days, Alfama first, about 400 EUR.', { input: 200, output: 20 }));
    const merged = await t.client.call('messages.merge', {
      targetSessionId: target.id,
      sourceSessionId: session.id,
      messageIds: [lisbon.user.id, lisbon.answer.id, lisbon2.user.id, lisbon2.answer.id],
      mode: 'summary',
    });
    const asked = summarizerRequests();
    expect(asked).toHaveLength(1);
    expect(asked[0]!.body['model']).toBe('gpt-4o');
    const transcript = (asked[0]!.body['messages'] as { content: string }[])[1]!.content;
    expect(transcript).toContain('User: Lisbon for 3 days');
    expect(transcript).toContain('Assistant: About 400 EUR.');
    expect(transcript).not.toContain('Porto');

    const summary = (await path(target.id)).at(-1)!;
    expect(merged.activeLeafId).toBe(summary.id);
    expect(messageText(summary)).toBe('Lisbon: 3 days, Alfama first, about 400 EUR.');
    expect(summary).toMatchObject({
      role: 'assistant',
      provider: 'openai',
      model: 'gpt-4o',
      usage: { inputTokens: 200, outputTokens: 20 },
      origin: { kind: 'summary', sessionId: session.id, messageIds: [lisbon.user.id, lisbon.answer.id, lisbon2.user.id, lisbon2.answer.id], chatTitle: 'Trip' },
    });
    expect(summary.costUsd).toBeGreaterThan(0);
    const after = await t.client.call('sessions.totals', { id: target.id });
    expect(after.costUsd).toBeCloseTo(before.costUsd + summary.costUsd!, 10);

    // The summaries' model from Settings writes it when one is set; a failure says which model and writes nothing.
    await t.client.call('summaries.updateSettings', { model: { provider: 'anthropic', model: 'claude-sonnet-4-5' } });
    t.provider.forProvider('anthropic').enqueue({ kind: 'error', status: 529, message: 'Overloaded' });
    const failed = await t.core.invoke('messages.merge', {
      targetSessionId: target.id,
      sourceSessionId: session.id,
      messageIds: [lisbon.answer.id],
      mode: 'summary',
    });
    expect(failed).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^The summarizer \(anthropic\/claude-sonnet-4-5\) failed: .*[Oo]verloaded/) },
    });
    expect(t.provider.requests.some((r) => r.provider === 'anthropic')).toBe(true);
    const unchanged = await t.client.call('sessions.get', { id: target.id });
    expect(unchanged.activeLeafId).toBe(summary.id);
    expect(unchanged.messageCount).toBe(merged.messageCount);
  });

  it('keeps origins through export and import, and a copy import points them at the copies of messages in the same file', async () => {
    const { session, lisbon } = await branchedChat();
    const other = await t.client.call('sessions.create', { title: 'Notes' });
    await t.client.call('messages.merge', { targetSessionId: session.id, sourceSessionId: session.id, messageIds: [lisbon.answer.id], mode: 'messages' });
    await t.client.call('messages.merge', { targetSessionId: other.id, sourceSessionId: session.id, messageIds: [lisbon.user.id], mode: 'messages' });
    const piece = async (format: 'json' | 'md' | 'html', id: string) =>
      (await t.client.call('export.piece', { format, piece: { kind: 'chat', sessionId: id, index: 0 } })).text;

    const markdown = await piece('md', session.id);
    expect(markdown).toMatch(/\*Merged from “Trip” · \d{4}-\d\d-\d\d \d\d:\d\d UTC\*/);
    expect(await piece('html', other.id)).toContain('Merged from “Trip” · ');

    const header = (await t.client.call('export.piece', { format: 'json', piece: { kind: 'header' } })).text;
    const footer = (await t.client.call('export.piece', { format: 'json', piece: { kind: 'footer' } })).text;
    const chats = [session.id, other.id];
    const bodies = await Promise.all(
      chats.map(async (id, index) => (await t.client.call('export.piece', { format: 'json', piece: { kind: 'chat', sessionId: id, index } })).text),
    );
    const file = header + bodies.join('') + footer;
    const exported = JSON.parse(file) as { chats: { messages: { id: string; origin: unknown }[] }[] };
    expect(exported.chats[1]!.messages.at(-1)!.origin).toMatchObject({ kind: 'copied', messageId: lisbon.user.id, sessionId: session.id });

    // Into another store: the same ids, origins as they were.
    const fresh = await startTestCore({ provider: t.provider });
    try {
      const report = await fresh.client.call('import.coda', { text: file, onConflict: 'skip' });
      expect(report.imported).toBe(2);
      const imported = (await fresh.client.call('messages.path', { sessionId: other.id })).messages.at(-1)!;
      expect(imported.origin).toMatchObject({ kind: 'copied', sessionId: session.id, messageId: lisbon.user.id, chatTitle: 'Trip' });
    } finally {
      await fresh.dispose();
    }

    // Into this store again, as copies: origins follow the copies of their source messages.
    const report = await t.client.call('import.coda', { text: file, onConflict: 'copy' });
    const [tripCopy, notesCopy] = report.chats.map((c) => c.id);
    const copiedTrip = await t.client.call('sessions.tree', { sessionId: tripCopy! });
    const notesLast = (await t.client.call('messages.path', { sessionId: notesCopy! })).messages.at(-1)!;
    expect(notesLast.origin).toMatchObject({ kind: 'copied', sessionId: tripCopy });
    const source = notesLast.origin!.kind === 'copied' ? notesLast.origin!.messageId : '';
    expect(copiedTrip.nodes.some((n) => n.id === source && n.excerpt === 'Lisbon for 3 days')).toBe(true);
    const tripLast = (await t.client.call('messages.path', { sessionId: tripCopy! })).messages.at(-1)!;
    expect(tripLast.origin).toMatchObject({ kind: 'copied', sessionId: tripCopy });
  });
});
