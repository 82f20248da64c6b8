import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SNIPPET_CLOSE, SNIPPET_OPEN, type AppEvent, type EmbeddingProgress } from '../../../shared/index.js';
import { startTestCore, type TestCore } from '../../../tests/helpers/core.js';
import { textReply } from '../../../tests/provider-server/script.js';
import { NO_MODEL_NOTICE } from './recall.js';

// Recall through the real OpenAI and Gemini SDKs against the scripted server's embeddings (a hashed bag of words).
let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(async () => {
  await t.dispose();
});
beforeEach(async () => {
  t.provider.requests.length = 0;
  t.provider.embeddingFailure = null;
  await t.client.call('recall.update', { embedding: null, allChats: false, threshold: 0.3, limit: 5 });
});

const OPENAI_EMBEDDING = { provider: 'openai', model: 'text-embedding-3-small' } as const;
const PLANTED = 'The Zephyr deployment password rotates every Tuesday at noon, announced in the ops channel.';
const QUESTION = 'When does the Zephyr deployment password rotate?';

async function say(sessionId: string, text: string) {
  t.provider.enqueue(textReply('Noted.'));
  const started = await t.client.call('chat.send', { sessionId, text });
  const last = await t.client.followRun(started.runId);
  return { user: started.userMessage, answer: last.message };
}

/** A chat with the planted message, and an unrelated one. */
async function plant() {
  const other = await t.client.call('sessions.create', { title: 'Ops notes' });
  const planted = await say(other.id, PLANTED);
  await say(other.id, 'Lunch options near the office are limited to sandwiches.');
  return { ...planted.user, text: PLANTED };
}

const lastChatRequest = () => {
  const request = t.provider.requests.filter((r) => r.body['stream'] === true).at(-1);
  return (request?.body['messages'] as { role: string; content: string }[]).map((m) => m.content);
};

async function recallOf(answerId: string) {
  const trace = await t.client.call('messages.agentTrace', { messageIds: [answerId] });
  return trace.steps[0]!.recall;
}

describe('semantic recall', { timeout: 60_000 }, () => {
  it('offers a planted message from another chat when recall covers all chats, and lists it with the answer', async () => {
    const planted = await plant();
    await t.client.call('recall.update', { embedding: OPENAI_EMBEDDING, allChats: true });
    await t.client.call('recall.backfill', {});
    const chat = await t.client.call('sessions.create', { title: 'Deploys' });
    const { answer } = await say(chat.id, QUESTION);

    expect(lastChatRequest().some((c) => c.includes(PLANTED) && c.includes('"Ops notes"'))).toBe(true);
    const recall = await recallOf(answer.id);
    expect(recall).toMatchObject({ mode: 'semantic', notice: null });
    expect(recall!.messages[0]).toMatchObject({ messageId: planted.id, sessionTitle: 'Ops notes', role: 'user' });
    expect(recall!.messages[0]!.similarity).toBeGreaterThan(0.3);
    expect(recall!.messages.some((m) => m.preview.startsWith('Lunch'))).toBe(false);
    // The embeddings went through the OpenAI SDK's real wire format, shortened to 256 dimensions.
    const embedding = t.provider.requests.find((r) => r.path.endsWith('/embeddings'));
    expect(embedding?.body).toMatchObject({ model: 'text-embedding-3-small', dimensions: 256, encoding_format: 'base64' });
  });

  it('does not offer another chat’s message when recall covers only this chat', async () => {
    await plant();
    await t.client.call('recall.update', { embedding: OPENAI_EMBEDDING, allChats: false });
    await t.client.call('recall.backfill', {});
    const chat = await t.client.call('sessions.create', {});
    const { answer } = await say(chat.id, QUESTION);

    expect(lastChatRequest().some((c) => c.includes(PLANTED))).toBe(false);
    expect(await recallOf(answer.id)).toMatchObject({ mode: 'semantic', messages: [] });
  });

  it('recalls by Gemini embeddings too', async () => {
    const planted = await plant();
    await t.client.call('recall.update', { embedding: { provider: 'gemini', model: 'text-embedding-004' }, allChats: true });
    await t.client.call('recall.backfill', {});
    const chat = await t.client.call('sessions.create', {});
    const { answer } = await say(chat.id, QUESTION);
    expect((await recallOf(answer.id))!.messages.map((m) => m.messageId)).toContain(planted.id);
    expect(t.provider.requests.some((r) => r.path.includes(':batchEmbedContents'))).toBe(true);
  });

  it('falls back to keyword ranking without an embedding model, and says so', async () => {
    const planted = await plant();
    await t.client.call('recall.update', { allChats: true });
    const status = await t.client.call('recall.status', {});
    expect(status).toMatchObject({ mode: 'keyword', notice: NO_MODEL_NOTICE });
    const chat = await t.client.call('sessions.create', {});
    const { answer } = await say(chat.id, QUESTION);

    const recall = await recallOf(answer.id);
    expect(recall).toMatchObject({ mode: 'keyword', notice: NO_MODEL_NOTICE });
    expect(recall!.messages.map((m) => m.preview)).toContain(planted.text);
    expect(lastChatRequest().some((c) => c.includes(PLANTED))).toBe(true);
    expect(t.provider.requests.some((r) => r.path.endsWith('/embeddings'))).toBe(false);
  });

  it('falls back to keywords when the embedding provider fails, naming its error', async () => {
    const planted = await plant();
    await t.client.call('recall.update', { embedding: OPENAI_EMBEDDING, allChats: true });
    t.provider.embeddingFailure = { kind: 'error', status: 404, message: 'The model text-embedding-3-small does not exist' };
    const chat = await t.client.call('sessions.create', {});
    // A question not asked before (one embedded lately is not asked for again).
    const { answer } = await say(chat.id, 'Who announces the Zephyr deployment password?');
    const recall = await recallOf(answer.id);
    expect(recall!.mode).toBe('keyword');
    expect(recall!.notice).toMatch(/^Embedding the question failed \(.*does not exist.*\), so earlier messages are recalled by keywords\.$/);
    expect(recall!.messages.map((m) => m.preview)).toContain(planted.text);
    expect(answer.status).toBe('complete');
  });

  it('backfills the history with progress events, and refuses without a model', async () => {
    const refused = await t.core.invoke('recall.backfill', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringContaining('No embedding model is set') } });
    const chat = await t.client.call('sessions.create', {});
    for (let i = 0; i < 3; i++) await say(chat.id, `Backfill message number ${i}`);
    const seen: EmbeddingProgress[] = [];
    const stop = t.client.onApp((event: AppEvent) => {
      if (event.type === 'embedding-progress') seen.push(event.progress);
    });
    // Another model: every message is embedded again by it.
    await t.client.call('recall.update', { embedding: { provider: 'ollama', model: 'nomic-embed-text' } });
    const done = await t.client.call('recall.backfill', {});
    stop();
    expect(done.total).toBeGreaterThanOrEqual(6);
    expect(done).toMatchObject({ embedded: done.total, running: false, error: null });
    expect(seen.at(-1)).toMatchObject({ embedded: done.total, total: done.total, running: false });
    expect(seen.some((p) => p.running && p.embedded < p.total)).toBe(true);
    const status = await t.client.call('recall.status', {});
    expect(status).toMatchObject({ mode: 'semantic', notice: null, progress: { embedded: done.total, total: done.total } });

    // A new exchange is embedded once answered, by itself: one request with its two texts, no rescan of the history.
    t.provider.requests.length = 0;
    await say(chat.id, 'One more message after the backfill');
    await expect.poll(async () => (await t.client.call('recall.status', {})).progress).toMatchObject({ embedded: done.total + 2, total: done.total + 2 });
    const embeds = t.provider.requests.filter((r) => r.path.endsWith('/embeddings'));
    expect(embeds.map((r) => r.body['input'])).toEqual([['One more message after the backfill', 'Noted.']]);
  });

  it('refuses an embedding model of a provider without an embeddings API', async () => {
    const result = await t.core.invoke('recall.update', { embedding: { provider: 'anthropic', model: 'claude-sonnet-4-6' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringContaining('has no embeddings API') } });
  });
});

describe('search modes', { timeout: 60_000 }, () => {
  it('finds by meaning (semantic) and merges both rankings (hybrid)', async () => {
    const planted = await plant();
    const keywordOnly = await t.core.invoke('messages.search', { query: 'Tuesday noon password rotation schedule in the ops channel', mode: 'semantic' });
    expect(keywordOnly).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringContaining('needs an embedding model') } });
    await t.client.call('recall.update', { embedding: OPENAI_EMBEDDING });
    await t.client.call('recall.backfill', {});
    // "rotation" and "schedule" are in no message: keyword search (every word) finds nothing, semantic search the nearest.
    const { hits: none } = await t.client.call('messages.search', { query: 'Tuesday noon password rotation schedule in the ops channel', mode: 'keyword' });
    expect(none).toEqual([]);
    const { hits: semantic } = await t.client.call('messages.search', {
      query: 'Tuesday noon password rotation schedule in the ops channel',
      mode: 'semantic',
      limit: 3,
    });
    expect(semantic[0]?.snippet).toBe(planted.text);
    // The same words asked again in another mode (or with other filters) are not embedded again.
    const embedded = t.provider.requests.filter((r) => r.path.endsWith('/embeddings')).length;
    const { hits: both } = await t.client.call('messages.search', {
      query: 'Tuesday noon password rotation schedule in the ops channel',
      mode: 'hybrid',
      limit: 3,
    });
    expect(both[0]?.snippet).toBe(planted.text);
    expect(t.provider.requests.filter((r) => r.path.endsWith('/embeddings'))).toHaveLength(embedded);
    const { hits: hybrid } = await t.client.call('messages.search', { query: 'Zephyr Tuesday', mode: 'hybrid', limit: 5 });
    expect(hybrid[0]?.snippet).toContain('\u0002Zephyr\u0003');
    expect(hybrid[0]?.snippet.replaceAll(SNIPPET_OPEN, '').replaceAll(SNIPPET_CLOSE, '')).toContain('password rotates every Tuesday');
  });
});
