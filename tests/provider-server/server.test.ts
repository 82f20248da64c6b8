import Anthropic from '@anthropic-ai/sdk';
import { ApiError, GoogleGenAI, ThinkingLevel, type GenerateContentConfig } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redactedData, thinkingSignature } from './anthropic.js';
import { thoughtSignature } from './gemini.js';
import { textReply, type StreamScript } from './script.js';
import { ScriptedProviderServer } from './server.js';

// The real SDKs against the scripted server: if an SDK parses it, adapters built on that SDK can be tested with it.
let server: ScriptedProviderServer;
beforeAll(async () => {
  server = await new ScriptedProviderServer().listen();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  expect(server.pending).toBe(0);
});

const usage = { input: 40, output: 12, cached: 10, cacheWrite: 5, reasoning: 4 };
const thinkAndCall: StreamScript = {
  kind: 'stream',
  steps: [{ reasoning: 'The user wants ' }, { reasoning: 'a sum.' }, { toolCall: { id: 'call_1', name: 'add', arguments: '{"a":1,"b":[2,3]}' } }],
  usage,
};
const malformed: StreamScript = { kind: 'stream', steps: [{ text: 'ok ' }, { raw: '{"choices": [ this is not json' }] };
const cut: StreamScript = { kind: 'stream', steps: [{ text: 'Partial ' }, { text: 'answer' }, { text: ' never sent' }], disconnectAfter: 2 };
const rateLimited = { kind: 'error', status: 429, message: 'Slow down', headers: { 'retry-after': '7' } } as const;

async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('OpenAI Chat Completions', () => {
  const client = () => new OpenAI({ apiKey: 'sk-test', baseURL: server.openaiBaseUrl, maxRetries: 0, logLevel: 'off' });
  const stream = () =>
    client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });

  it('streams text with usage, and records the request', async () => {
    server.enqueue(textReply('Hello there, friend.', usage));
    const chunks = await drain(await stream());
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello there, friend.');
    expect(chunks.at(-1)?.usage).toMatchObject({
      prompt_tokens: 40,
      completion_tokens: 12,
      prompt_tokens_details: { cached_tokens: 10 },
      completion_tokens_details: { reasoning_tokens: 4 },
    });
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('stop');
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      provider: 'openai',
      headers: { authorization: 'Bearer sk-test' },
    });
  });

  it('streams reasoning and a tool call whose arguments arrive in pieces', async () => {
    server.enqueue(thinkAndCall);
    const chunks = await drain(await stream());
    const reasoning = chunks.map((c) => (c.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '').join('');
    expect(reasoning).toBe('The user wants a sum.');
    // OpenRouter's field, when the script asks for it.
    server.enqueue({ ...thinkAndCall, reasoningField: 'reasoning' });
    const openRouter = await drain(await stream());
    expect(openRouter.map((c) => (c.choices[0]?.delta as { reasoning?: string } | undefined)?.reasoning ?? '').join('')).toBe('The user wants a sum.');
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({ index: 0, id: 'call_1', function: { name: 'add' } });
    expect(calls.length).toBeGreaterThan(2);
    expect(JSON.parse(calls.map((c) => c.function?.arguments ?? '').join(''))).toEqual({ a: 1, b: [2, 3] });
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('answers non-streamed completions and lists models', async () => {
    server.enqueueCompletion({ kind: 'completion', text: 'A title' });
    const done = await client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'title?' }] });
    expect(done.choices[0]?.message.content).toBe('A title');
    const models = await drain(client().models.list());
    expect(models.map((m) => m.id)).toEqual(server.models.openai);
  });

  it('surfaces HTTP errors as typed errors with their headers', async () => {
    server.enqueue(rateLimited);
    const error = await stream().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ status: 429, error: { message: 'Slow down', code: 'rate_limit_exceeded' } });
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('7');
    // Unscripted requests fail in OpenAI's shape too.
    await expect(stream()).rejects.toBeInstanceOf(OpenAI.InternalServerError);
  });

  it('fails the iteration on a malformed chunk, a mid-stream error and a cut connection', async () => {
    server.enqueue(malformed, { kind: 'stream', steps: [{ text: 'a' }, { error: { message: 'Overloaded' } }] }, cut);
    await expect(drain(await stream())).rejects.toThrow(SyntaxError);
    await expect(drain(await stream())).rejects.toMatchObject({ error: { message: 'Overloaded' } });
    const seen: string[] = [];
    const iterate = async () => {
      for await (const c of await stream()) seen.push(c.choices[0]?.delta.content ?? '');
    };
    await expect(iterate()).rejects.toThrow();
    expect(seen.join('')).toBe('Partial answer');
  });
});

describe('Anthropic Messages', () => {
  const client = () => new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.anthropicBaseUrl, maxRetries: 0, logLevel: 'off' });
  const params = { model: 'claude-sonnet-4-6', max_tokens: 1024, system: 'Be brief.', messages: [{ role: 'user' as const, content: 'hi' }] };

  it('streams text with usage, and records the request', async () => {
    server.enqueue(textReply('Hello there, friend.', usage));
    const stream = client().messages.stream(params);
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    const message = await stream.finalMessage();
    expect(texts.join('')).toBe('Hello there, friend.');
    expect(message.content).toEqual([{ type: 'text', text: 'Hello there, friend.' }]);
    expect(message.stop_reason).toBe('end_turn');
    // input_tokens leaves out cache reads and writes.
    expect(message.usage).toMatchObject({ input_tokens: 25, cache_read_input_tokens: 10, cache_creation_input_tokens: 5, output_tokens: 12 });
    expect(message.usage.output_tokens_details).toEqual({ thinking_tokens: 4 });
    const request = server.requests[0];
    expect(request).toMatchObject({ method: 'POST', path: '/v1/messages', provider: 'anthropic', headers: { authorization: 'Bearer sk-ant-test' } });
    expect(request?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(request?.body).toMatchObject({ stream: true, system: 'Be brief.', messages: [{ role: 'user', content: 'hi' }] });
  });

  it('streams thinking with its signature and a tool call as raw events', async () => {
    server.enqueue(thinkAndCall);
    const events = await drain(await client().messages.create({ ...params, stream: true }));
    expect(events.map((e) => e.type)).toEqual([
      'message_start',
      ...['content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop'],
      ...['content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop'],
      'message_delta',
      'message_stop',
    ]);
    const deltas = events.flatMap((e) => (e.type === 'content_block_delta' ? [e.delta] : []));
    expect(deltas.slice(0, 3)).toEqual([
      { type: 'thinking_delta', thinking: 'The user wants ' },
      { type: 'thinking_delta', thinking: 'a sum.' },
      { type: 'signature_delta', signature: thinkingSignature('The user wants a sum.') },
    ]);
    expect(events[6]).toMatchObject({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'call_1', name: 'add', input: {} } });
    const json = deltas.flatMap((d) => (d.type === 'input_json_delta' ? [d.partial_json] : [])).join('');
    expect(JSON.parse(json)).toEqual({ a: 1, b: [2, 3] });
    expect(events.find((e) => e.type === 'message_delta')).toMatchObject({ delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 12 } });
  });

  it('gives the accumulated message to the stream helper', async () => {
    server.enqueue(thinkAndCall);
    const message = await client().messages.stream(params).finalMessage();
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'The user wants a sum.', signature: thinkingSignature('The user wants a sum.') },
      { type: 'tool_use', id: 'call_1', name: 'add', input: { a: 1, b: [2, 3] } },
    ]);
  });

  it('streams redacted thinking whole, and refuses a tool loop that drops or alters thinking, as the API does', async () => {
    server.enqueue({ kind: 'stream', steps: [{ redactedThinking: 'seed' }, ...thinkAndCall.steps] });
    const message = await client().messages.stream(params).finalMessage();
    const [redacted, thinking, call] = message.content;
    expect(redacted).toEqual({ type: 'redacted_thinking', data: redactedData('seed') });
    const loop = (assistant: typeof message.content) => ({
      ...params,
      thinking: { type: 'enabled' as const, budget_tokens: 1024 },
      max_tokens: 2048,
      messages: [
        ...params.messages,
        { role: 'assistant' as const, content: assistant },
        { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: 'call_1', content: '6' }] },
      ],
    });
    // Sampling fields the SDK's types no longer list still reach the API as sent.
    type Body = Parameters<ReturnType<typeof client>['messages']['create']>[0];
    const refusal = (body: Body | (Body & { temperature: number })) =>
      client()
        .messages.create({ ...body, stream: false })
        .catch((e: unknown) => e);
    expect(await refusal(loop([call!]))).toMatchObject({
      status: 400,
      error: { error: { message: expect.stringContaining('must start with a thinking block') } },
    });
    const altered = { ...thinking!, thinking: 'Something else.' } as typeof thinking;
    expect(await refusal(loop([redacted!, altered!, call!]))).toMatchObject({
      status: 400,
      error: { error: { message: expect.stringContaining('Invalid `signature`') } },
    });
    expect(await refusal({ ...loop([redacted!, thinking!, call!]), max_tokens: 1024 })).toMatchObject({ status: 400 });
    expect(await refusal({ ...loop([redacted!, thinking!, call!]), temperature: 0.5 })).toMatchObject({ status: 400 });
    server.enqueueCompletion({ kind: 'completion', text: '6' });
    expect((await client().messages.create(loop([redacted!, thinking!, call!]))).content).toEqual([{ type: 'text', text: '6' }]);
  });

  it('answers non-streamed messages and lists models', async () => {
    server.enqueueCompletion({ kind: 'completion', text: 'A title' });
    const message = await client().messages.create(params);
    expect(message.content).toEqual([{ type: 'text', text: 'A title' }]);
    const models = await drain(client().models.list());
    expect(models.map((m) => m.id)).toEqual(server.models.anthropic);
  });

  it('surfaces HTTP errors as typed errors with their headers', async () => {
    server.enqueue(rateLimited, { kind: 'error', status: 529, message: 'Overloaded' });
    const error = await client()
      .messages.create({ ...params, stream: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error).toMatchObject({ status: 429, type: 'rate_limit_error', error: { type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } } });
    expect((error as InstanceType<typeof Anthropic.RateLimitError>).headers?.get('retry-after')).toBe('7');
    await expect(client().messages.stream(params).finalMessage()).rejects.toBeInstanceOf(Anthropic.InternalServerError);
  });

  it('fails the iteration on a malformed chunk, an overloaded event and a cut connection', async () => {
    server.enqueue(malformed, { kind: 'stream', steps: [{ text: 'a' }, { error: { message: 'Overloaded' } }] }, cut);
    await expect(drain(await client().messages.create({ ...params, stream: true }))).rejects.toThrow(SyntaxError);
    await expect(client().messages.stream(params).finalMessage()).rejects.toMatchObject({ type: 'overloaded_error', status: undefined });
    const stream = client().messages.stream(params);
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    await expect(stream.finalMessage()).rejects.toThrow();
    expect(texts.join('')).toBe('Partial answer');
  });
});

describe('Gemini generateContent', () => {
  const client = (key = 'g-test-key') =>
    new GoogleGenAI({ vertexai: false, apiKey: key, httpOptions: { baseUrl: server.geminiBaseUrl, apiVersion: 'v1beta' } });
  const params = (config: GenerateContentConfig = {}) => ({ model: 'gemini-2.5-flash', contents: 'hi', config: { systemInstruction: 'Be brief.', ...config } });

  it('streams text with usage, and records the request', async () => {
    server.enqueue(textReply('Hello there, friend.', usage));
    const chunks = await drain(
      await client().models.generateContentStream(params({ temperature: 0.2, thinkingConfig: { thinkingBudget: 512, includeThoughts: true } })),
    );
    expect(chunks.map((c) => c.text ?? '').join('')).toBe('Hello there, friend.');
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(chunks[0]?.candidates?.[0]?.finishReason).toBeUndefined();
    // Only the last chunk has the output counts; thoughts are counted apart from candidates.
    expect({ ...chunks[0]?.usageMetadata }).toEqual({ promptTokenCount: 40, totalTokenCount: 40, cachedContentTokenCount: 10 });
    expect({ ...chunks.at(-1)?.usageMetadata }).toEqual({
      promptTokenCount: 40,
      candidatesTokenCount: 8,
      thoughtsTokenCount: 4,
      totalTokenCount: 52,
      cachedContentTokenCount: 10,
    });
    expect(chunks[0]).toMatchObject({ modelVersion: 'gemini-2.5-flash', responseId: expect.any(String) });
    const request = server.requests[0];
    expect(request).toMatchObject({ method: 'POST', path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', provider: 'gemini' });
    expect(request?.headers['x-goog-api-key']).toBe('g-test-key');
    // The key travels in its header only, never in the address.
    expect(request?.path).not.toContain('key=');
    expect(request?.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
      systemInstruction: { role: 'user', parts: [{ text: 'Be brief.' }] },
      generationConfig: { temperature: 0.2, thinkingConfig: { thinkingBudget: 512, includeThoughts: true } },
    });
  });

  it('streams thoughts as flagged text parts and a signed tool call with parsed args', async () => {
    server.enqueue({ ...thinkAndCall, steps: [...thinkAndCall.steps, { toolCall: { id: 'call_2', name: 'add', arguments: '{"a":3,"b":[]}' } }] });
    const parts = (await drain(await client().models.generateContentStream(params()))).flatMap((c) => c.candidates?.[0]?.content?.parts ?? []);
    expect(parts).toEqual([
      { text: 'The user wants ', thought: true },
      { text: 'a sum.', thought: true },
      { functionCall: { name: 'add', args: { a: 1, b: [2, 3] } }, thoughtSignature: thoughtSignature('add', '{"a":1,"b":[2,3]}') },
      // Parallel calls: only the first carries the signature.
      { functionCall: { name: 'add', args: { a: 3, b: [] } } },
    ]);
  });

  it('answers non-streamed requests, counts tokens and lists models', async () => {
    server.enqueueCompletion({ kind: 'completion', text: 'A title' });
    const response = await client().models.generateContent(params());
    expect(response.text).toBe('A title');
    expect(server.requests[0]?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    const counted = await client().models.countTokens({ model: 'gemini-2.5-flash', contents: 'twelve chars' });
    expect(counted.totalTokens).toBe(3);
    expect(server.requests[1]).toMatchObject({
      path: '/v1beta/models/gemini-2.5-flash:countTokens',
      body: { contents: [{ role: 'user', parts: [{ text: 'twelve chars' }] }] },
    });
    const listed = await drain(await client().models.list({ config: { pageSize: 1000 } }));
    expect(listed.filter((m) => m.supportedActions?.includes('generateContent')).map((m) => m.name)).toEqual([
      'models/gemini-2.5-flash',
      'models/gemini-2.5-pro',
    ]);
    expect(server.requests[2]).toMatchObject({ method: 'GET', path: '/v1beta/models?pageSize=1000', provider: 'gemini' });
  });

  it('surfaces HTTP errors as ApiError with the status and the body, RetryInfo included', async () => {
    server.enqueue(rateLimited, { kind: 'error', status: 400, message: 'API key not valid. Please pass a valid API key.' });
    const error = await client()
      .models.generateContentStream(params())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(429);
    expect(JSON.parse((error as ApiError).message)).toEqual({
      error: {
        code: 429,
        message: 'Slow down',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }],
      },
    });
    await expect(client().models.generateContentStream(params())).rejects.toMatchObject({ status: 400, message: expect.stringContaining('API key not valid') });
  });

  it('refuses what the real API refuses: no key, thinking level with a budget, thought summaries with thinking off', async () => {
    const bare = await fetch(`${server.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    expect([bare.status, await bare.json()]).toMatchObject([403, { error: { status: 'PERMISSION_DENIED' } }]);
    const both = { thinkingLevel: ThinkingLevel.HIGH, thinkingBudget: 100 };
    await expect(client().models.generateContent(params({ thinkingConfig: both }))).rejects.toMatchObject({ status: 400 });
    await expect(client().models.generateContent(params({ thinkingConfig: { thinkingBudget: 0, includeThoughts: true } }))).rejects.toMatchObject({
      status: 400,
    });
  });

  it('fails the iteration on a malformed chunk, an error chunk and a cut connection', async () => {
    server.enqueue(malformed, { kind: 'stream', steps: [{ text: 'a' }, { error: { message: 'Overloaded' } }] }, cut);
    await expect(drain(await client().models.generateContentStream(params()))).rejects.toThrow(SyntaxError);
    // An error inside an open stream is thrown as ApiError with the chunk's code.
    await expect(drain(await client().models.generateContentStream(params()))).rejects.toMatchObject({
      status: 503,
      message: expect.stringContaining('Overloaded'),
    });
    const seen: string[] = [];
    const iterate = async () => {
      for await (const c of await client().models.generateContentStream(params())) seen.push(c.text ?? '');
    };
    await expect(iterate()).rejects.toThrow();
    expect(seen.join('')).toBe('Partial answer');
  });
});

describe('routing', () => {
  const post = (path: string, headers: Record<string, string> = {}, body: object = { stream: true }) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('answers unscripted requests and unknown paths in each provider error shape', async () => {
    const openai = await post('/v1/chat/completions');
    expect([openai.status, await openai.json()]).toEqual([
      500,
      { error: { message: expect.stringContaining('no reply queued'), type: 'server_error', param: null, code: null } },
    ]);
    const anthropic = await post('/v1/messages');
    expect([anthropic.status, await anthropic.json()]).toMatchObject([500, { type: 'error', error: { type: 'api_error' } }]);
    expect(anthropic.headers.get('request-id')).toMatch(/^req_/);
    const geminiBody = { contents: [{ role: 'user', parts: [{ text: 'x' }] }] };
    const gemini = await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', { 'x-goog-api-key': 'k' }, geminiBody);
    expect([gemini.status, await gemini.json()]).toMatchObject([500, { error: { code: 500, status: 'INTERNAL' } }]);
    // Gemini without alt=sse would stream a JSON array, which no SDK asks for.
    const array = await post('/v1/models/gemini-2.5-flash:streamGenerateContent?key=k', {}, geminiBody);
    expect([array.status, await array.json()]).toMatchObject([400, { error: { status: 'INVALID_ARGUMENT' } }]);
    const unknown = await post('/v1/complete', { 'anthropic-version': '2023-06-01' });
    expect([unknown.status, await unknown.json()]).toMatchObject([404, { type: 'error', error: { type: 'not_found_error' } }]);
    expect(server.requests.map((r) => r.provider)).toEqual(['openai', 'anthropic', 'gemini', 'gemini', 'anthropic']);
  });

  it('serves a provider its own replies before the shared ones', async () => {
    server.enqueue(textReply('shared'));
    server.forProvider('anthropic').enqueue(textReply('for anthropic'));
    const openai = new OpenAI({ apiKey: 'k', baseURL: server.openaiBaseUrl, maxRetries: 0 });
    const anthropic = new Anthropic({ apiKey: 'k', baseURL: server.anthropicBaseUrl, maxRetries: 0 });
    const stream = await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
    const message = await anthropic.messages.stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).finalMessage();
    expect((await drain(stream)).map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('shared');
    expect(message.content).toEqual([{ type: 'text', text: 'for anthropic' }]);
  });

  it('paces steps at a rate above what a timer per step allows, reporting when each was sent', async () => {
    const sent: number[] = [];
    const steps = Array.from({ length: 400 }, (_, i) => ({ text: `${i} ` }));
    server.enqueue({ kind: 'stream', steps, stepsPerSecond: 4000, onStepSent: (index, at) => (sent[index] = at) });
    const openai = new OpenAI({ apiKey: 'k', baseURL: server.openaiBaseUrl, maxRetries: 0 });
    const stream = await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
    const text = (await drain(stream)).map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(steps.map((s) => s.text).join(''));
    expect(sent).toHaveLength(400);
    expect(sent.every((at, i) => i === 0 || at >= sent[i - 1]!)).toBe(true);
    // 399 intervals of 0.25 ms: about 100 ms, never sooner than scheduled.
    expect(sent[399]! - sent[0]!).toBeGreaterThanOrEqual(99);
  });
});
