import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../../../tests/helpers/core.js';
import { textReply } from '../../../tests/provider-server/script.js';
import { DEFAULT_CONTEXT_WINDOW } from './budget.js';

// Requests through the real OpenAI SDK to the scripted provider: what is sent, and the breakdown stored with it.
let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
  // These long chats are about what the builder chooses; automatic summaries have their own tests (summaries/).
  await t.client.call('summaries.updateSettings', { auto: false });
});
afterAll(async () => {
  await t.dispose();
});
beforeEach(() => {
  t.provider.requests.length = 0;
});

async function say(sessionId: string, text: string) {
  t.provider.enqueue(textReply('Noted.'));
  const started = await t.client.call('chat.send', { sessionId, text });
  const last = await t.client.followRun(started.runId);
  return { user: started.userMessage, answer: last.message };
}

const sentMessages = () => {
  const request = t.provider.requests.filter((r) => r.body['stream'] === true).at(-1);
  return (request?.body['messages'] as { role: string; content: string }[]).map((m) => m.content);
};

// An unknown model gets the default window; a large max output leaves half of it (16,384 tokens) for the prompt.
const small = { provider: 'openai', model: 'local-small-model', maxOutputTokens: 100_000 } as const;
/** About 10,000 tokens of plain words (nothing to strip when compressing). */
const long = (label: string) => `${label} ` + 'lorem ipsum dolor sit amet '.repeat(2_000);

describe('context builder in requests', { timeout: 60_000 }, () => {
  it('keeps a pinned message and the newest turns, drops older whole turns, and stores the breakdown', async () => {
    const session = await t.client.call('sessions.create', { settings: small });
    const first = await say(session.id, 'Remember: the code word is PELICAN.');
    const pinned = await t.client.call('messages.pin', { messageId: first.user.id, pinned: true });
    expect(pinned.pinned).toBe(true);
    const old = await say(session.id, long('OLDEST'));
    await say(session.id, long('MIDDLE'));
    const newest = await say(session.id, 'What is the code word?');

    const sent = sentMessages();
    expect(sent).toContain('Remember: the code word is PELICAN.');
    expect(sent.at(-1)).toBe('What is the code word?');
    expect(sent.some((c) => c.startsWith('MIDDLE'))).toBe(true);
    expect(sent.some((c) => c.startsWith('OLDEST'))).toBe(false);

    const trace = await t.client.call('messages.agentTrace', { messageIds: [newest.answer.id] });
    const context = trace.steps[0]!.context!;
    expect(context).toMatchObject({ window: DEFAULT_CONTEXT_WINDOW, outputReserve: DEFAULT_CONTEXT_WINDOW / 2, pinsOverBudget: false });
    expect(context.dropped).toEqual(expect.arrayContaining([old.user.id, old.answer.id]));
    expect(context.included).toEqual(expect.arrayContaining([first.user.id, newest.user.id]));
    expect(context.pins).toBeGreaterThan(5);
    expect(context.recent + context.pins + context.system + context.tools + context.free).toBeLessThanOrEqual(context.budget);

    // The next request would use the same choice (`context show`), now with the newest answer in it too.
    const next = await t.client.call('context.show', { sessionId: session.id });
    expect(next.dropped).toContain(old.user.id);
    expect(next.included).toEqual(expect.arrayContaining([first.user.id, newest.answer.id]));

    // Unpinned, it goes the way of the old turns.
    expect((await t.client.call('messages.pin', { messageId: first.user.id, pinned: false })).pinned).toBe(false);
    expect((await t.client.call('context.show', { sessionId: session.id })).dropped).toContain(first.user.id);
  });

  it('sends a short chat whole, every message in', async () => {
    const session = await t.client.call('sessions.create', {});
    const a = await say(session.id, 'Hello there.');
    const b = await say(session.id, 'And again.');
    expect(sentMessages()).toEqual(['Hello there.', 'Noted.', 'And again.']);
    const shown = await t.client.call('context.show', { sessionId: session.id });
    expect(shown.included).toEqual([a.user.id, a.answer.id, b.user.id, b.answer.id]);
    expect(shown.dropped).toEqual([]);
  });

  it('warns, in the run and the stored breakdown, when pins alone exceed the budget', async () => {
    const session = await t.client.call('sessions.create', { settings: small });
    const huge = await say(session.id, long('A') + long('B') + long('C'));
    await t.client.call('messages.pin', { messageId: huge.user.id, pinned: true });
    t.provider.enqueue(textReply('Noted.'));
    const started = await t.client.call('chat.send', { sessionId: session.id, text: 'Still there?' });
    const events: string[] = [];
    const last = await t.client.followRun(started.runId, { onEvent: (e) => (e.type === 'context-warning' ? events.push(e.message) : undefined) });
    expect(events[0]).toMatch(/^Pinned messages take [\d,]+ tokens, more than this model's budget of 16,384/);
    const trace = await t.client.call('messages.agentTrace', { messageIds: [last.message.id] });
    expect(trace.steps[0]!.context!.pinsOverBudget).toBe(true);
  });

  it("lists a message recalled from another chat in context.show, with that chat's title", async () => {
    const planted = 'The Zephyr deployment password rotates every Tuesday at noon, announced in the ops channel.';
    const other = await t.client.call('sessions.create', { title: 'Ops notes' });
    const source = await say(other.id, planted);
    // No embedding model: recall ranks by keywords, here over every chat.
    await t.client.call('recall.update', { embedding: null, allChats: true, threshold: 0.3, limit: 5 });
    try {
      const chat = await t.client.call('sessions.create', { title: 'Deploys' });
      const asked = await say(chat.id, 'When does the Zephyr deployment password rotate?');
      const shown = await t.client.call('context.show', { sessionId: chat.id });
      const entry = shown.messages.find((m) => m.messageId === source.user.id);
      expect(entry).toMatchObject({
        role: 'user',
        status: 'recalled',
        excerpt: expect.stringMatching(/^The Zephyr deployment password rotates/),
        recalledFrom: { sessionId: other.id, sessionTitle: 'Ops notes' },
      });
      expect(shown.messages.find((m) => m.messageId === asked.user.id)).toMatchObject({ status: 'in', recalledFrom: null });
    } finally {
      await t.client.call('recall.update', { allChats: false });
    }
  });

  it('refuses to pin a message that does not exist, saying so', async () => {
    const result = await t.core.invoke('messages.pin', { messageId: '01900000-0000-7000-8000-000000000000', pinned: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
