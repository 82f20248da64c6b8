import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from './helpers/core.js';
import { textReply } from './provider-server/script.js';

let t: TestCore;
beforeEach(async () => {
  t = await startTestCore();
});
afterEach(async () => {
  await t.dispose();
});

async function ask(sessionId: string, text: string, reply: string, parentId?: string | null) {
  t.provider.enqueue(textReply(reply));
  const started = await t.client.call('chat.send', { sessionId, text, ...(parentId !== undefined ? { parentId } : {}) });
  const done = await t.client.followRun(started.runId);
  return { user: started.userMessage, answer: done.message };
}

describe('the conversation tree of a chat', () => {
  it('returns every message with its parent, branches and deleted ones included, and the active leaf', async () => {
    const session = await t.client.call('sessions.create', {});
    const { user: hello, answer: hi } = await ask(session.id, 'Hello   there\n\nfriend', 'Hi!');
    t.provider.enqueue(textReply('Hey.'));
    const again = await t.client.call('chat.retry', { messageId: hi.id, model: { provider: 'openai', model: 'gpt-4.1' } });
    const hey = (await t.client.followRun(again.runId)).message;
    const { user: why, answer: because } = await ask(session.id, 'Why?', 'Because.');
    await t.client.call('messages.delete', { sessionId: session.id, messageId: why.id });

    const tree = await t.client.call('sessions.tree', { sessionId: session.id });
    expect(tree.nodes.map((n) => [n.id, n.parentId, n.role, n.deleted])).toEqual([
      [hello.id, null, 'user', false],
      [hi.id, hello.id, 'assistant', false],
      [hey.id, hello.id, 'assistant', false],
      [why.id, hey.id, 'user', true],
      [because.id, why.id, 'assistant', true],
    ]);
    const byId = new Map(tree.nodes.map((n) => [n.id, n]));
    expect(byId.get(hello.id)).toMatchObject({ excerpt: 'Hello there friend', model: null });
    expect(byId.get(hey.id)).toMatchObject({ excerpt: 'Hey.', model: 'gpt-4.1' });
    expect(byId.get(hi.id)?.model).toBe('gpt-4.1-mini');
    expect(byId.get(hi.id)?.tokens).toBeGreaterThan(0);
    // Deleting "Why?" showed the neighbouring branch: it ends at the retried answer.
    expect(tree.activeLeafId).toBe(hey.id);
  });

  it('refuses a chat that does not exist with a clear error', async () => {
    await expect(t.client.call('sessions.tree', { sessionId: '01900000-0000-7000-8000-000000000000' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
