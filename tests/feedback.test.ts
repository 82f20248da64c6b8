import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type Message } from '../shared/index.js';
import { startTestCore, type TestCore } from './helpers/core.js';
import { textReply } from './provider-server/script.js';

// Feedback on answers through the typed client, kept across a restart of core.
let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(async () => {
  await t.dispose();
});

async function answer(): Promise<{ question: Message; answer: Message }> {
  t.provider.enqueue(textReply('Paris is the capital of France.'));
  const session = await t.client.call('sessions.create', {});
  const started = await t.client.call('chat.send', { sessionId: session.id, text: 'Capital of France?' });
  const last = await t.client.followRun(started.runId);
  return { question: started.userMessage, answer: last.message };
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`Expected an ApiError, got ${String(error)}`);
  return error;
}

describe('feedback on an answer', () => {
  it('keeps a thumb and the detailed form together, each change leaving the rest as it was, across a restart', async () => {
    const { answer: saved } = await answer();
    expect(saved.feedback).toBeNull();
    const down = await t.client.call('messages.setFeedback', { messageId: saved.id, feedback: { rating: 'down' } });
    expect(down.feedback).toMatchObject({ rating: 'down', categories: [], completeness: null, comment: '' });

    const detailed = await t.client.call('messages.setFeedback', {
      messageId: saved.id,
      feedback: { categories: ['incomplete', 'too-slow'], completeness: 2, comment: '  It left out the population.  ' },
    });
    expect(detailed.feedback).toMatchObject({
      rating: 'down',
      categories: ['incomplete', 'too-slow'],
      completeness: 2,
      comment: 'It left out the population.',
    });

    // Edited later: the thumb changes, the form stays.
    const up = await t.client.call('messages.setFeedback', { messageId: saved.id, feedback: { rating: 'up' } });
    expect(up.feedback).toMatchObject({ rating: 'up', categories: ['incomplete', 'too-slow'], completeness: 2 });

    await t.reopen();
    const { messages } = await t.client.call('messages.path', { sessionId: saved.sessionId });
    expect(messages.find((m) => m.id === saved.id)?.feedback).toMatchObject({ rating: 'up', comment: 'It left out the population.' });
  });

  it('refuses feedback that is empty, out of range, on a question, or on a message that does not exist, saying why', async () => {
    const { question, answer: saved } = await answer();
    expect((await refusal(t.client.call('messages.setFeedback', { messageId: saved.id, feedback: {} }))).message).toContain(
      'Give a rating, categories, completeness or a comment',
    );
    const range = await refusal(t.client.call('messages.setFeedback', { messageId: saved.id, feedback: { completeness: 9 } }));
    expect(range.code).toBe('validation');
    expect(range.message).toContain('completeness');
    // A category the form does not have (only an untyped caller can send one).
    expect(await t.core.invoke('messages.setFeedback', { messageId: saved.id, feedback: { categories: ['rude'] } })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    const onQuestion = await refusal(t.client.call('messages.setFeedback', { messageId: question.id, feedback: { rating: 'up' } }));
    expect(onQuestion).toMatchObject({ code: 'validation', message: expect.stringContaining('Feedback is for answers') });
    const missing = await refusal(t.client.call('messages.setFeedback', { messageId: '01900000-0000-7000-8000-000000000000', feedback: { rating: 'up' } }));
    expect(missing.code).toBe('not_found');
    // Nothing refused was saved.
    expect((await t.client.call('messages.path', { sessionId: saved.sessionId })).messages.at(-1)?.feedback).toBeNull();
  });

  it('finds an answer by the start of its id', async () => {
    const { answer: saved } = await answer();
    expect((await t.client.call('messages.resolve', { idPrefix: saved.id.slice(0, 18) })).id).toBe(saved.id);
    expect((await refusal(t.client.call('messages.resolve', { idPrefix: 'ab' }))).message).toContain('at least 4 characters');
    expect((await refusal(t.client.call('messages.resolve', { idPrefix: 'ffff' }))).code).toBe('not_found');
  });
});
