import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageText } from '../electron/core/cli/output.js';
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

const shown = async (sessionId: string) => {
  const path = await t.client.call('messages.path', { sessionId });
  return { texts: path.messages.map(messageText), siblings: path.siblings, messages: path.messages };
};

describe('branches of a conversation', () => {
  it('keeps every answer to a message: regenerated (with another model too) and switched between', async () => {
    const session = await t.client.call('sessions.create', {});
    const { answer: first } = await ask(session.id, 'Name a colour', 'Blue.');
    t.provider.enqueue(textReply('Green.'));
    const again = await t.client.call('chat.retry', { messageId: first.id, model: { provider: 'openai', model: 'gpt-4.1' } });
    const second = (await t.client.followRun(again.runId)).message;
    expect(second).toMatchObject({ model: 'gpt-4.1', parentId: first.parentId });
    expect(t.provider.requests.filter((r) => r.body['stream'] === true).at(-1)?.body['model']).toBe('gpt-4.1');
    // The chat's own model is unchanged.
    expect((await t.client.call('sessions.get', { id: session.id })).settings.model).toBe('gpt-4.1-mini');

    let view = await shown(session.id);
    expect(view.texts).toEqual(['Name a colour', 'Green.']);
    expect(view.siblings[second.id]).toEqual([first.id, second.id]);

    await t.client.call('sessions.switchBranch', { sessionId: session.id, messageId: first.id });
    view = await shown(session.id);
    expect(view.texts).toEqual(['Name a colour', 'Blue.']);
    // A follow-up continues the branch on screen; switching back to the other answer shows its own (shorter) branch.
    await ask(session.id, 'Why?', 'It is calm.');
    await t.client.call('sessions.switchBranch', { sessionId: session.id, messageId: second.id });
    expect((await shown(session.id)).texts).toEqual(['Name a colour', 'Green.']);
    await t.client.call('sessions.switchBranch', { sessionId: session.id, messageId: first.id });
    expect((await shown(session.id)).texts).toEqual(['Name a colour', 'Blue.', 'Why?', 'It is calm.']);
  });

  it('branches from an earlier answer: the next question is a sibling of what followed it, and the branch shown survives a restart', async () => {
    const session = await t.client.call('sessions.create', {});
    const { answer: hi } = await ask(session.id, 'Hello', 'Hi!');
    const { user: later } = await ask(session.id, 'What is 2+2?', '4.');
    await ask(session.id, 'And 3+3?', '6.');

    const branched = await t.client.call('sessions.branchFrom', { sessionId: session.id, messageId: hi.id });
    expect(branched.activeLeafId).toBe(hi.id);
    expect((await shown(session.id)).texts).toEqual(['Hello', 'Hi!']);
    const { user: fresh } = await ask(session.id, 'Tell me a joke', 'A pun.');
    expect(fresh.parentId).toBe(hi.id);
    const view = await shown(session.id);
    expect(view.texts).toEqual(['Hello', 'Hi!', 'Tell me a joke', 'A pun.']);
    expect(view.siblings[fresh.id]).toEqual([later.id, fresh.id]);
    // The old continuation is kept whole on its branch.
    await t.client.call('sessions.switchBranch', { sessionId: session.id, messageId: later.id });
    expect((await shown(session.id)).texts).toEqual(['Hello', 'Hi!', 'What is 2+2?', '4.', 'And 3+3?', '6.']);

    // The branch last looked at (the older one, not the newest) is the one shown after the app restarts.
    await t.reopen();
    expect((await shown(session.id)).texts).toEqual(['Hello', 'Hi!', 'What is 2+2?', '4.', 'And 3+3?', '6.']);
    // A branch point itself is kept too (the user left before sending).
    await t.client.call('sessions.branchFrom', { sessionId: session.id, messageId: hi.id });
    await t.reopen();
    expect((await shown(session.id)).texts).toEqual(['Hello', 'Hi!']);
  });

  it('refuses to branch from a question or from a message of another chat', async () => {
    const session = await t.client.call('sessions.create', {});
    const other = await t.client.call('sessions.create', {});
    const { user, answer } = await ask(session.id, 'Hello', 'Hi!');
    await expect(t.client.call('sessions.branchFrom', { sessionId: session.id, messageId: user.id })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('edit it'),
    });
    await expect(t.client.call('sessions.branchFrom', { sessionId: other.id, messageId: answer.id })).rejects.toMatchObject({ code: 'not_found' });
    expect((await t.client.call('sessions.get', { id: session.id })).activeLeafId).toBe(answer.id);
  });

  it('edits an earlier message as a new branch beside it, keeping the original and what followed it', async () => {
    const session = await t.client.call('sessions.create', {});
    const { user: hello } = await ask(session.id, 'Hello', 'Hi!');
    const { user: question } = await ask(session.id, 'What is 2+2?', '4.');
    const { user: edited } = await ask(session.id, 'What is 3+3?', '6.', question.parentId);
    const view = await shown(session.id);
    expect(view.texts).toEqual(['Hello', 'Hi!', 'What is 3+3?', '6.']);
    expect(view.siblings[edited.id]).toEqual([question.id, edited.id]);
    expect(view.siblings[hello.id]).toBeUndefined();
    await t.client.call('sessions.switchBranch', { sessionId: session.id, messageId: question.id });
    expect((await shown(session.id)).texts).toEqual(['Hello', 'Hi!', 'What is 2+2?', '4.']);
  });

  it('deletes a message with what follows it, shows the neighbouring branch, and undoes it', async () => {
    const session = await t.client.call('sessions.create', {});
    await ask(session.id, 'Hello', 'Hi!');
    const { user: question, answer } = await ask(session.id, 'Tell me a secret', 'The password is swordfish.');
    const { user: other } = await ask(session.id, 'Tell me a joke', 'A pun.', question.parentId);
    await t.client.call('sessions.switchBranch', { sessionId: session.id, messageId: question.id });

    const deleted = await t.client.call('messages.delete', { sessionId: session.id, messageId: question.id });
    expect(deleted.count).toBe(2);
    expect(deleted.session.messageCount).toBe(4);
    const view = await shown(session.id);
    expect(view.texts).toEqual(['Hello', 'Hi!', 'Tell me a joke', 'A pun.']);
    expect(view.siblings[other.id]).toBeUndefined();
    expect((await t.client.call('messages.search', { query: 'swordfish' })).hits).toEqual([]);
    await expect(t.client.call('sessions.switchBranch', { sessionId: session.id, messageId: answer.id })).rejects.toMatchObject({ code: 'not_found' });

    await t.client.call('messages.restore', { sessionId: session.id, messageId: question.id, deletedAt: deleted.deletedAt });
    expect((await shown(session.id)).texts).toEqual(['Hello', 'Hi!', 'Tell me a secret', 'The password is swordfish.']);
    expect((await t.client.call('sessions.get', { id: session.id })).messageCount).toBe(6);
    // Undo works once.
    await expect(t.client.call('messages.restore', { sessionId: session.id, messageId: question.id, deletedAt: deleted.deletedAt })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('empties the chat when its only first message is deleted', async () => {
    const session = await t.client.call('sessions.create', {});
    const { user } = await ask(session.id, 'Hello', 'Hi!');
    await t.client.call('messages.delete', { sessionId: session.id, messageId: user.id });
    expect(await t.client.call('messages.path', { sessionId: session.id })).toEqual({ messages: [], total: 0, siblings: {} });
  });
});

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
