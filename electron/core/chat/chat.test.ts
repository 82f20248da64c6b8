import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countTokens } from 'gpt-tokenizer';
import { CodaClient, costOf, type Message, type RunEvent } from '../../../shared/index.js';
import { collectRun, startTestCore, type TestCore } from '../../../tests/helpers/core.js';
import { textReply } from '../../../tests/provider-server/script.js';
import { textOf } from './chat-service.js';
import { TokenCountCache } from './estimate.js';

let t: TestCore;
beforeEach(async () => {
  t = await startTestCore({ flushIntervalMs: 20 });
});
afterEach(async () => {
  await t.dispose();
});

async function newSession() {
  return t.client.call('sessions.create', {});
}

/** Sends a message and collects every run event until the run ends. */
async function send(sessionId: string, text: string) {
  const started = await t.client.call('chat.send', { sessionId, text });
  const events = await collect(started.runId);
  return { ...started, events };
}

const collect = (runId: string, afterSeq = 0) => collectRun(t.client, runId, afterSeq);

function finalMessage(events: RunEvent[]): Message {
  const last = events.at(-1);
  if (!last || (last.type !== 'done' && last.type !== 'error')) throw new Error('run did not end');
  return last.message;
}

describe('chat over the contract', () => {
  it('streams an answer, saves it with usage and cost, and finds it again after a restart', async () => {
    const session = await newSession();
    t.provider.enqueue(textReply('Hello there, friend.', { input: 30, output: 5 }));
    t.provider.enqueueCompletion({ kind: 'completion', text: '"Friendly Greeting"' });
    const { events, userMessage } = await send(session.id, 'Say hello');

    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]?.type).toBe('started');
    const streamed = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');
    expect(streamed).toBe('Hello there, friend.');
    const answer = finalMessage(events);
    expect(answer.status).toBe('complete');
    expect(answer.usage).toEqual({ inputTokens: 30, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, source: 'provider' });
    expect(answer.costUsd).toBeCloseTo((30 * 0.4 + 5 * 1.6) / 1e6, 12);
    expect(answer.providerResponseId).toMatch(/^chatcmpl-/);
    expect(answer.timing.firstTokenAt).not.toBeNull();

    const request = t.provider.requests.find((r) => r.body['stream'] === true);
    expect(request?.body['stream_options']).toEqual({ include_usage: true });
    expect(request?.body['messages']).toEqual([{ role: 'user', content: 'Say hello' }]);
    expect(request?.headers.authorization).toBe('Bearer sk-test-openai');

    await t.core.chat.settle();
    await t.reopen();
    const path = await t.client.call('messages.path', { sessionId: session.id });
    expect(path.total).toBe(2);
    expect(path.messages.map((m) => m.id)).toEqual([userMessage.id, answer.id]);
    expect(path.messages[1]?.content).toEqual([{ type: 'text', text: 'Hello there, friend.' }]);
    const reopened = await t.client.call('sessions.get', { id: session.id });
    expect(reopened).toMatchObject({ title: 'Friendly Greeting', titleSource: 'auto' });
  });

  it('titles the session with its first words when the model cannot give a title', async () => {
    const session = await newSession();
    t.provider.enqueue(textReply('Sure.'));
    await send(session.id, 'Please   summarise the quarterly numbers for the board meeting tomorrow');
    await t.core.chat.settle();
    const s = await t.client.call('sessions.get', { id: session.id });
    expect(s.title).toBe('Please summarise the quarterly numbers for the board');
  });

  it('sends the whole visible conversation and the system prompt as context', async () => {
    const session = await t.client.call('sessions.create', { settings: { systemPrompt: 'Be brief.' } });
    t.provider.enqueue(textReply('4'), textReply('8'));
    await send(session.id, '2+2?');
    await send(session.id, 'double it');
    const streamed = t.provider.requests.filter((r) => r.body['stream'] === true);
    expect(streamed[1]?.body['messages']).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: '2+2?' },
      { role: 'assistant', content: '4' },
      { role: 'user', content: 'double it' },
    ]);
  });

  it("sends a chat's temperature, top-p, answer length and thinking to each provider in its own wire format", async () => {
    const settings = { temperature: 0.3, topP: 0.9, maxOutputTokens: 512 };
    const openai = await t.client.call('sessions.create', { settings: { ...settings, provider: 'openai', model: 'gpt-5-mini', thinking: { effort: 'low' } } });
    const anthropic = await t.client.call('sessions.create', { settings: { ...settings, provider: 'anthropic', model: 'claude-haiku-4-5' } });
    const gemini = await t.client.call('sessions.create', {
      settings: { ...settings, provider: 'gemini', model: 'gemini-2.5-flash', thinking: { budgetTokens: 1024 } },
    });
    for (const [session, provider] of [
      [openai, 'openai'],
      [anthropic, 'anthropic'],
      [gemini, 'gemini'],
    ] as const) {
      t.provider.forProvider(provider).enqueue(textReply('ok'));
      await send(session.id, 'hi');
    }
    const last = (provider: string) =>
      t.provider.requests.filter((r) => r.provider === provider && (r.body['stream'] === true || r.path.includes(':streamGenerateContent'))).at(-1)!.body;
    expect(last('openai')).toMatchObject({ temperature: 0.3, top_p: 0.9, max_completion_tokens: 512, reasoning_effort: 'low' });
    expect(last('anthropic')).toMatchObject({ temperature: 0.3, top_p: 0.9, max_tokens: 512 });
    expect(last('gemini')['generationConfig']).toMatchObject({
      temperature: 0.3,
      topP: 0.9,
      maxOutputTokens: 512,
      thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
    });
    // Out of range is refused with the setting named, not clamped or dropped.
    await expect(t.client.call('sessions.updateSettings', { id: openai.id, settings: { topP: 1.5 } })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('topP'),
    });
  });

  it('sends the right path as context on every branch: after a retry, under an earlier answer, and after a restart', async () => {
    const session = await newSession();
    t.provider.enqueue(textReply('A1'), textReply('A2'), textReply('A2 again'), textReply('A3'), textReply('B2'), textReply('A4'));
    const first = await send(session.id, 'Q1');
    const second = await send(session.id, 'Q2');
    const retried = await t.client.call('chat.retry', { messageId: finalMessage(second.events).id });
    const again = finalMessage(await collect(retried.runId));
    await send(session.id, 'Q3');
    // A question under the first answer: a branch whose context leaves out everything after it.
    const branch = await t.client.call('chat.send', { sessionId: session.id, text: 'Q2 (branch)', parentId: finalMessage(first.events).id });
    await collect(branch.runId);
    await t.core.chat.settle();
    await t.reopen();
    await t.client.call('chat.send', { sessionId: session.id, text: 'Q4', parentId: again.id });
    await t.core.chat.settle();

    const sent = t.provider.requests.filter((r) => r.body['stream'] === true).map((r) => r.body['messages']);
    const turn = (role: string, content: string) => ({ role, content });
    expect(sent).toEqual([
      [turn('user', 'Q1')],
      [turn('user', 'Q1'), turn('assistant', 'A1'), turn('user', 'Q2')],
      [turn('user', 'Q1'), turn('assistant', 'A1'), turn('user', 'Q2')],
      [turn('user', 'Q1'), turn('assistant', 'A1'), turn('user', 'Q2'), turn('assistant', 'A2 again'), turn('user', 'Q3')],
      [turn('user', 'Q1'), turn('assistant', 'A1'), turn('user', 'Q2 (branch)')],
      [turn('user', 'Q1'), turn('assistant', 'A1'), turn('user', 'Q2'), turn('assistant', 'A2 again'), turn('user', 'Q4')],
    ]);
  });

  it('streams reasoning and tool call requests as their own events', async () => {
    const session = await newSession();
    t.provider.enqueue({
      kind: 'stream',
      steps: [{ reasoning: 'Think first. ' }, { toolCall: { id: 'call_1', name: 'add', arguments: '{"a":1,"b":2}' } }],
      usage: { input: 10, output: 20, reasoning: 12 },
    });
    const { events } = await send(session.id, 'add 1 and 2');
    expect(events.find((e) => e.type === 'reasoning-delta')).toMatchObject({ text: 'Think first. ' });
    // Coda names the call by its own id; the provider's goes only back to the model.
    expect(events.find((e) => e.type === 'tool-call')).toMatchObject({
      toolCallId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      providerCallId: 'call_1',
      name: 'add',
      arguments: '{"a":1,"b":2}',
    });
    const answer = finalMessage(events);
    expect(answer.usage?.reasoningTokens).toBe(12);
    expect(answer.content).toContainEqual({ type: 'reasoning', text: 'Think first. ' });
  });

  it('gives each of two calls with the same provider id its own id on the OpenAI and Anthropic wire formats (Gemini sends none), and answers both', async () => {
    const duplicate = (name: string) => ({ toolCall: { id: 'toolu_dup', name, arguments: '{}' } });
    for (const [provider, model] of [
      ['openai', 'gpt-4.1-mini'],
      ['anthropic', 'claude-haiku-4-5'],
    ] as const) {
      const session = await t.client.call('sessions.create', { settings: { provider, model } });
      t.provider.forProvider(provider).enqueue({ kind: 'stream', steps: [duplicate('first'), duplicate('second')] }, textReply('Neither exists.'));
      await send(session.id, 'call two tools');
      const body = t.provider.requests.filter((r) => r.provider === provider && r.body['stream'] === true).at(-1)!.body;
      const messages = body['messages'] as { role: string; content: unknown; tool_calls?: { id: string }[]; tool_call_id?: string }[];
      const [asked, answered] =
        provider === 'openai'
          ? [messages.flatMap((m) => m.tool_calls ?? []).map((c) => c.id), messages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id)]
          : [
              messages
                .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
                .filter((b: { type: string }) => b.type === 'tool_use')
                .map((b: { id: string }) => b.id),
              messages
                .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
                .filter((b: { type: string }) => b.type === 'tool_result')
                .map((b: { tool_use_id: string }) => b.tool_use_id),
            ];
      expect(asked[0]).toBe('toolu_dup');
      // Same length, letters and digits at the end: a shape every provider accepts.
      expect(asked[1]).toMatch(/^t[A-Za-z0-9]{8}$/);
      expect(answered).toEqual(asked);
    }
  });

  it('turns a rejected key into an inline error, and Retry answers again as a new branch', async () => {
    const session = await newSession();
    t.provider.enqueue({ kind: 'error', status: 401, message: 'Incorrect API key provided', type: 'invalid_request_error' });
    const { events } = await send(session.id, 'hi');
    const failed = events.at(-1);
    expect(failed).toMatchObject({ type: 'error', error: { code: 'provider_auth' } });
    const failedMessage = finalMessage(events);
    expect(failedMessage.status).toBe('error');
    expect(failedMessage.error?.message).toContain('OPENAI_API_KEY');

    t.provider.enqueue(textReply('Hi!'));
    const retried = await t.client.call('chat.retry', { messageId: failedMessage.id });
    expect(retried.assistantMessage.parentId).toBe(failedMessage.parentId);
    const answer = finalMessage(await collect(retried.runId));
    expect(answer.status).toBe('complete');
    // The failed answer is kept beside the new one; the visible path follows the new one.
    expect((await t.core.messages.require(failedMessage.id)).status).toBe('error');
    const path = await t.client.call('messages.path', { sessionId: session.id });
    expect(path.messages.map((m) => m.id)).toEqual([failedMessage.parentId, answer.id]);
  });

  it('reports rate limits with the retry-after the provider gave', async () => {
    const session = await newSession();
    t.provider.enqueue({ kind: 'error', status: 429, message: 'Rate limit reached', headers: { 'retry-after': '7' } });
    const { events } = await send(session.id, 'hi');
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'provider_rate_limited', details: { retryAfterSeconds: 7 } } });
  });

  it('keeps the text that arrived when the connection drops mid-stream', async () => {
    const session = await newSession();
    t.provider.enqueue({ kind: 'stream', steps: [{ text: 'Partial ' }, { text: 'answer' }, { text: ' never sent' }], disconnectAfter: 2 });
    const { events } = await send(session.id, 'hi');
    const message = finalMessage(events);
    expect(message.status).toBe('error');
    expect(message.content).toEqual([{ type: 'text', text: 'Partial answer' }]);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'network' } });
  });

  it('fails clearly on a malformed chunk instead of crashing', async () => {
    const session = await newSession();
    t.provider.enqueue({ kind: 'stream', steps: [{ text: 'ok ' }, { raw: '{"choices": [ this is not json' }] });
    const { events } = await send(session.id, 'hi');
    expect(finalMessage(events).status).toBe('error');
    // The core still answers afterwards.
    t.provider.enqueue(textReply('fine'));
    expect(finalMessage((await send(session.id, 'again')).events).status).toBe('complete');
  });

  /** A long answer (after `before`), stopped once five pieces of its text have arrived; its final message. */
  async function stoppedAnswer(before: { reasoning: string }[] = []): Promise<Message> {
    const session = await newSession();
    t.provider.enqueue({ kind: 'stream', steps: [...before, ...Array.from({ length: 200 }, (_, i) => ({ text: `w${i} ` }))], stepDelayMs: 10 });
    const started = await t.client.call('chat.send', { sessionId: session.id, text: 'long' });
    let deltas = 0;
    const events = await collectRun(t.client, started.runId, 0, (e) => {
      if (e.type === 'text-delta' && ++deltas === 5) void t.client.call('chat.stop', { runId: started.runId });
    });
    return finalMessage(events);
  }

  it('stops on request: the HTTP stream is cancelled and the message is marked interrupted', async () => {
    const message = await stoppedAnswer();
    expect(message.status).toBe('interrupted');
    expect(message.error).toBeNull();
    const text = message.content.find((p) => p.type === 'text');
    expect(text && 'text' in text ? text.text.split(' ').length : 0).toBeLessThan(50);
  });

  it('keeps a stopped turn as a step, with what it thought and wrote, for the Steps panel after a reopen', async () => {
    const message = await stoppedAnswer([{ reasoning: 'Thinking it over.' }]);
    expect(message.status).toBe('interrupted');
    const { steps } = await t.client.call('messages.agentTrace', { messageIds: [message.id] });
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ kind: 'synthesis', reasoning: 'Thinking it over.', content: expect.stringMatching(/^w0 w1 w2 w3 w4 /) });
    expect(steps[0]!.finishedAt).toBeGreaterThanOrEqual(steps[0]!.startedAt);
  });

  it('saves the answer while it streams and marks it interrupted after a crash', async () => {
    const session = await newSession();
    t.provider.enqueue({ kind: 'stream', steps: [{ text: 'Saved ' }, { text: 'so far' }, { wait: 5_000 }, { text: 'lost' }] });
    const started = await t.client.call('chat.send', { sessionId: session.id, text: 'go' });
    const id = started.assistantMessage.id;
    await expect.poll(async () => (await t.core.messages.require(id)).content, { timeout: 3_000 }).toEqual([{ type: 'text', text: 'Saved so far' }]);
    // A crash: the store is dropped without the run finishing, then the app starts again on the same file.
    const { createCore } = await import('../core.js');
    const { migrationsDir } = await import('../../../tests/helpers/core.js');
    const second = await createCore({ dataDir: t.dataDir, migrationsDir, env: {} });
    expect(second.interruptedAtStart).toBe(1);
    const recovered = await second.messages.require(id);
    expect(recovered.status).toBe('interrupted');
    expect(recovered.content).toEqual([{ type: 'text', text: 'Saved so far' }]);
    await second.close();
  });

  it('replays missed events to a client that re-subscribes from its last seq', async () => {
    const session = await newSession();
    t.provider.enqueue(textReply('one two three four five'));
    const { runId, events } = await send(session.id, 'count');
    const resumed = await collect(runId, 3);
    expect(resumed.map((e) => e.seq)).toEqual(events.slice(3).map((e) => e.seq));
  });

  it('explains what to do when no provider is configured', async () => {
    const { createCore } = await import('../core.js');
    const { migrationsDir, tempDir } = await import('../../../tests/helpers/core.js');
    const dir = await tempDir();
    const core = await createCore({ dataDir: dir.dir, migrationsDir, env: {} });
    const client = new CodaClient(core);
    const s = await client.call('sessions.create', {});
    const started = await client.call('chat.send', { sessionId: s.id, text: 'hi' });
    const event = await client.followRun(started.runId);
    expect(event).toMatchObject({ type: 'error', error: { code: 'provider_not_configured' } });
    expect(event.type === 'error' && event.error.message).toContain('OPENAI_API_KEY');
    await core.close();
    await dir.remove();
  });
});

describe('chat guards', () => {
  let g: TestCore;
  beforeEach(async () => {
    g = await startTestCore();
  });
  afterEach(async () => {
    await g.dispose();
  });

  it('refuses a new message on top of an answer that is still streaming, and announces activity', async () => {
    const session = await g.client.call('sessions.create', {});
    const changes: number[] = [];
    g.client.onApp((event) => {
      if (event.type === 'session-changed') changes.push(event.session.messageCount);
    });
    g.provider.enqueue({ kind: 'stream', steps: [{ text: 'slow' }, { wait: 300 }, { text: ' answer' }] });
    const first = await g.client.call('chat.send', { sessionId: session.id, text: 'one' });
    await expect(g.client.call('chat.send', { sessionId: session.id, text: 'two' })).rejects.toMatchObject({ code: 'conflict' });
    await g.client.call('chat.stop', { runId: first.runId });
    await g.core.chat.settle();
    expect(changes[0]).toBe(2);
  });
});

describe('fallback chain', () => {
  let f: TestCore;
  beforeEach(async () => {
    f = await startTestCore();
  });
  afterEach(async () => {
    await f.dispose();
  });

  it('answers with the next provider when the first fails before answering, and records the route', async () => {
    const session = await f.client.call('sessions.create', {
      settings: { provider: 'anthropic', model: 'claude-haiku-4-5', fallbacks: [{ provider: 'gemini', model: 'gemini-2.5-flash' }] },
    });
    f.provider.forProvider('anthropic').enqueue({ kind: 'error', status: 529, message: 'Overloaded' });
    f.provider.forProvider('gemini').enqueue(textReply('Gemini here.', { input: 10, output: 3 }));
    const started = await f.client.call('chat.send', { sessionId: session.id, text: 'hello' });
    const events = await collectRun(f.client, started.runId);
    expect(events.find((e) => e.type === 'fallback')).toMatchObject({
      from: { provider: 'anthropic', model: 'claude-haiku-4-5' },
      to: { provider: 'gemini', model: 'gemini-2.5-flash' },
      error: { code: 'provider_overloaded' },
    });
    const answer = finalMessage(events);
    expect(answer).toMatchObject({ status: 'complete', provider: 'gemini', model: 'gemini-2.5-flash' });
    expect(answer.route).toEqual([
      { provider: 'anthropic', model: 'claude-haiku-4-5', error: expect.objectContaining({ code: 'provider_overloaded' }) },
      { provider: 'gemini', model: 'gemini-2.5-flash', error: null },
    ]);
    expect(answer.costUsd).toBeCloseTo((10 * 0.3 + 3 * 2.5) / 1e6, 12);
    expect(answer.estimatedInputTokens).toBeGreaterThan(0);
  });

  it('does not fall back on a rejected key: the user has to fix it', async () => {
    const session = await f.client.call('sessions.create', {
      settings: { provider: 'anthropic', model: 'claude-haiku-4-5', fallbacks: [{ provider: 'gemini', model: 'gemini-2.5-flash' }] },
    });
    f.provider.forProvider('anthropic').enqueue({ kind: 'error', status: 401, message: 'invalid x-api-key' });
    const started = await f.client.call('chat.send', { sessionId: session.id, text: 'hello' });
    const last = (await collectRun(f.client, started.runId)).at(-1);
    expect(last).toMatchObject({ type: 'error', error: { code: 'provider_auth' }, message: { route: [] } });
    expect(f.provider.pending).toBe(0);
  });
});

describe('usage of a stopped answer', () => {
  let u: TestCore;
  beforeEach(async () => {
    u = await startTestCore({ flushIntervalMs: 20 });
  });
  afterEach(async () => {
    await u.dispose();
  });

  /** Sends, and stops the answer once `deltas` pieces of text have arrived. */
  async function sendAndStop(sessionId: string, text: string, deltas: number): Promise<Message> {
    const started = await u.client.call('chat.send', { sessionId, text });
    let seen = 0;
    const events = await collectRun(u.core, started.runId, 0, (e) => {
      if (e.type === 'text-delta' && ++seen === deltas) void u.client.call('chat.stop', { runId: started.runId });
    });
    return finalMessage(events);
  }

  it('records an estimate of what was sent and streamed, priced and counted in the session totals', async () => {
    const session = await u.client.call('sessions.create', {});
    // Usage would come at the end of the stream: a stop means the provider never reports it, though it bills.
    u.provider.enqueue({
      kind: 'stream',
      steps: Array.from({ length: 200 }, (_, i) => ({ text: `w${i} ` })),
      stepDelayMs: 10,
      usage: { input: 999, output: 999 },
    });
    const message = await sendAndStop(session.id, 'Tell me a long story', 5);
    expect(message.status).toBe('interrupted');
    const received = textOf(message);
    expect(message.usage).toEqual({
      inputTokens: new TokenCountCache().estimate([{ role: 'user', content: 'Tell me a long story' }]),
      outputTokens: countTokens(received),
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      source: 'estimate',
    });
    expect(message.costUsd).toBeCloseTo(costOf(message.provider!, message.model!, message.usage!)!, 12);
    expect(message.costUsd).toBeGreaterThan(0);

    // Kept as it was: the estimate is saved, not made up on reading.
    await u.core.chat.settle();
    expect((await u.core.messages.require(message.id)).usage).toEqual(message.usage);
    u.provider.enqueue(textReply('Short.', { input: 40, output: 2 }));
    await send(session.id, 'Shorter, please');
    const totals = await u.client.call('sessions.totals', { id: session.id });
    expect(totals).toMatchObject({
      answers: 2,
      estimatedAnswers: 1,
      inputTokens: message.usage!.inputTokens + 40,
      outputTokens: message.usage!.outputTokens + 2,
      costUsd: expect.closeTo(
        message.costUsd! +
          costOf(message.provider!, message.model!, { inputTokens: 40, outputTokens: 2, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 })!,
        12,
      ),
    });

    async function send(sessionId: string, text: string) {
      const started = await u.client.call('chat.send', { sessionId, text });
      return collectRun(u.core, started.runId);
    }
  });

  it('keeps what the provider billed for earlier turns and estimates only the turn that was stopped', async () => {
    const session = await u.client.call('sessions.create', {});
    u.provider.enqueue(
      {
        kind: 'stream',
        steps: [{ reasoning: 'Let me look.' }, { toolCall: { id: 'c1', name: 'lookup', arguments: '{"q":"x"}' } }],
        usage: { input: 50, output: 10, cached: 20 },
      },
      { kind: 'stream', steps: Array.from({ length: 200 }, (_, i) => ({ text: `w${i} ` })), stepDelayMs: 10, usage: { input: 999, output: 999 } },
    );
    const message = await sendAndStop(session.id, 'look it up', 3);
    const second = u.provider.requests.filter((r) => r.body['stream'] === true)[1];
    expect(second).toBeDefined();
    const usage = message.usage!;
    expect(usage.source).toBe('estimate');
    // The first turn as billed; the second's input is the whole request it sent (question, call and tool result).
    expect(usage.cachedInputTokens).toBe(20);
    expect(usage.inputTokens).toBeGreaterThan(50 + 10);
    expect(usage.outputTokens).toBe(10 + countTokens(textOf(message)));
    expect(message.costUsd).toBeCloseTo(costOf(message.provider!, message.model!, usage)!, 12);
  });

  it('records no usage when the provider never took the request', async () => {
    const session = await u.client.call('sessions.create', {});
    u.provider.enqueue({ kind: 'error', status: 400, message: 'Bad request' });
    const started = await u.client.call('chat.send', { sessionId: session.id, text: 'hi' });
    const message = finalMessage(await collectRun(u.core, started.runId));
    expect(message.status).toBe('error');
    expect(message).toMatchObject({ usage: null, costUsd: null });
  });
});

describe('session totals', () => {
  let s: TestCore;
  beforeEach(async () => {
    s = await startTestCore();
  });
  afterEach(async () => {
    await s.dispose();
  });

  it('adds up billed tokens and cost over every answer, branches included', async () => {
    const session = await s.client.call('sessions.create', {});
    const run = async (script: Parameters<TestCore['provider']['enqueue']>[0], text: string) => {
      s.provider.enqueue(script);
      const started = await s.client.call('chat.send', { sessionId: session.id, text });
      await collectRun(s.client, started.runId);
    };
    await run(textReply('one', { input: 100, output: 10, cached: 40 }), 'first');
    await run(textReply('two', { input: 200, output: 20, reasoning: 5 }), 'second');
    const totals = await s.client.call('sessions.totals', { id: session.id });
    expect(totals).toEqual({
      answers: 2,
      estimatedAnswers: 0,
      inputTokens: 300,
      outputTokens: 30,
      cachedInputTokens: 40,
      reasoningTokens: 5,
      costUsd: expect.closeTo((60 * 0.4 + 40 * 0.1 + 10 * 1.6 + (200 * 0.4 + 20 * 1.6)) / 1e6, 12),
      unpricedAnswers: 0,
    });
  });
});
