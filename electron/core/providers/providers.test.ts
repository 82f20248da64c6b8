import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CodaError } from '../../../shared/index.js';
import { scriptedProviders } from '../../../tests/helpers/core.js';
import { thoughtSignature } from '../../../tests/provider-server/gemini.js';
import { textReply } from '../../../tests/provider-server/script.js';
import { ScriptedProviderServer } from '../../../tests/provider-server/server.js';
import { ProviderRegistry } from './registry.js';
import { DEFAULT_POLICY, type ResiliencePolicy } from './resilience.js';
import type { ChatRequest, ChatTurn, ProviderStreamEvent } from './types.js';

// Every adapter through its real SDK against the scripted server, speaking that provider's wire format.
let server: ScriptedProviderServer;
beforeAll(async () => {
  server = await new ScriptedProviderServer().listen();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

const fast: ResiliencePolicy = { ...DEFAULT_POLICY, maxRetries: 0, baseDelayMs: 5, maxDelayMs: 20 };
const registry = (policy: Partial<ResiliencePolicy> = {}) => new ProviderRegistry(scriptedProviders(server), { ...fast, ...policy });

const cases = [
  { id: 'openai', model: 'gpt-4.1-mini', label: 'OpenAI', keyEnv: 'OPENAI_API_KEY' },
  { id: 'anthropic', model: 'claude-haiku-4-5', label: 'Anthropic', keyEnv: 'ANTHROPIC_API_KEY' },
  { id: 'gemini', model: 'gemini-2.5-flash', label: 'Google Gemini', keyEnv: 'GEMINI_API_KEY' },
  { id: 'openrouter', model: 'meta-llama/llama-3.3-70b', label: 'OpenRouter', keyEnv: 'OPENROUTER_API_KEY' },
  { id: 'azure', model: 'my-gpt-deployment', label: 'Azure OpenAI', keyEnv: 'AZURE_OPENAI_API_KEY' },
] as const;

function request(model: string, messages: ChatTurn[] = [{ role: 'user', content: 'hi' }], signal = new AbortController().signal): ChatRequest {
  return { model, messages, temperature: null, signal };
}

async function collect(iterable: AsyncIterable<ProviderStreamEvent>): Promise<{ events: ProviderStreamEvent[]; error: CodaError | null }> {
  const events: ProviderStreamEvent[] = [];
  try {
    for await (const event of iterable) events.push(event);
    return { events, error: null };
  } catch (error) {
    return { events, error: error as CodaError };
  }
}

const textOf = (events: ProviderStreamEvent[]) => events.flatMap((e) => (e.type === 'text' ? [e.text] : [])).join('');

describe.each(cases)('$label adapter', ({ id, model, label, keyEnv }) => {
  const queue = () => server.forProvider(id === 'openrouter' || id === 'azure' ? 'openai' : id);

  it('streams text with usage normalized to the billed numbers', async () => {
    queue().enqueue(textReply('Hello there, friend.', { input: 40, output: 12, cached: 10, reasoning: 4 }));
    const { events, error } = await collect(registry().get(id).stream(request(model)));
    expect(error).toBeNull();
    expect(events[0]).toEqual({ type: 'connected' });
    // Azure addresses the deployment by name and authenticates with its own header.
    if (id === 'azure')
      expect(server.requests.at(-1)).toMatchObject({
        path: expect.stringContaining('/openai/deployments/my-gpt-deployment/chat/completions'),
        headers: { 'api-key': 'azure-test-key' },
      });
    expect(textOf(events)).toBe('Hello there, friend.');
    expect(events.find((e) => e.type === 'usage')).toEqual({
      type: 'usage',
      usage: { inputTokens: 40, outputTokens: 12, cachedInputTokens: 10, cacheWriteTokens: 0, reasoningTokens: 4 },
    });
  });

  it('streams reasoning and a tool call, then sends the tool result back in its own format', async () => {
    queue().enqueue({
      kind: 'stream',
      steps: [{ reasoning: 'Need a sum. ' }, { toolCall: { id: 'call_1', name: 'add', arguments: '{"a":1,"b":2}' } }],
      usage: { input: 20, output: 9 },
    });
    const first = await collect(
      registry()
        .get(id)
        .stream({
          ...request(model),
          tools: [
            {
              name: 'add',
              description: 'Adds',
              parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
            },
          ],
        }),
    );
    expect(first.error).toBeNull();
    expect(
      first.events
        .filter((e) => e.type === 'reasoning')
        .map((e) => (e.type === 'reasoning' ? e.text : ''))
        .join(''),
    ).toBe('Need a sum. ');
    const call = first.events.find((e) => e.type === 'tool-call');
    expect(call).toMatchObject({ type: 'tool-call', name: 'add' });
    expect(JSON.parse(call?.type === 'tool-call' ? call.arguments : '')).toEqual({ a: 1, b: 2 });

    queue().enqueue(textReply('1 + 2 = 3'));
    if (call?.type !== 'tool-call') throw new Error('no tool call');
    // The call goes back as the agent loop keeps it: whatever the adapter attached to it (Gemini's signature) included.
    const { type: _event, ...toolCall } = call;
    const callId = toolCall.id;
    const followUp: ChatTurn[] = [
      { role: 'system', content: 'Use tools.' },
      { role: 'user', content: 'add 1 and 2' },
      { role: 'assistant', content: '', toolCalls: [toolCall] },
      { role: 'tool', toolCallId: callId, name: 'add', content: '3' },
    ];
    const second = await collect(registry().get(id).stream(request(model, followUp)));
    expect(textOf(second.events)).toBe('1 + 2 = 3');
    const body = JSON.stringify(server.requests.at(-1)?.body);
    // The result went back tied to its call, in this provider's own shape.
    if (id === 'anthropic') expect(body).toContain(`"tool_result","tool_use_id":"${callId}","content":"3"`);
    else if (id === 'gemini') {
      expect(body).toContain('"functionResponse":{"name":"add","response":{"output":"3"}}');
      // Gemini 3 refuses the next step of a function-calling turn unless each call's signature comes back with it.
      expect(body).toContain(`"functionCall":{"args":{"a":1,"b":2},"name":"add"},"thoughtSignature":"${thoughtSignature('add', '{"a":1,"b":2}')}"`);
    } else expect(body).toContain(`"role":"tool","tool_call_id":"${callId}","content":"3"`);
  });

  it('turns a rejected key into provider_auth with a message saying what to check', async () => {
    queue().enqueue({ kind: 'error', status: 401, message: 'invalid x-api-key' });
    const { error } = await collect(registry().get(id).stream(request(model)));
    expect(error?.code).toBe('provider_auth');
    expect(error?.message).toContain(`The ${label} key was rejected: check ${keyEnv}`);
  });

  it('waits out a 429 with its retry-after, then answers', async () => {
    queue().enqueue({ kind: 'error', status: 429, message: 'Slow down', headers: { 'retry-after': '0.2' } }, textReply('Done.'));
    const started = Date.now();
    const { events, error } = await collect(registry({ maxRetries: 1 }).get(id).stream(request(model)));
    expect(error).toBeNull();
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ attempt: 1, error: { code: 'provider_rate_limited' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(textOf(events)).toBe('Done.');
  });

  it('reports a 429 with its retry-after when retries are used up', async () => {
    queue().enqueue({ kind: 'error', status: 429, message: 'Slow down', headers: { 'retry-after': '7' } });
    const { error } = await collect(registry().get(id).stream(request(model)));
    expect(error?.code).toBe('provider_rate_limited');
    expect(error?.details?.['retryAfterSeconds']).toBe(7);
    expect(error?.message).toContain('Try again in 7 s');
  });

  it('retries a 500 and answers on the second attempt', async () => {
    queue().enqueue({ kind: 'error', status: 500, message: 'boom' }, textReply('Recovered.'));
    const { events, error } = await collect(registry({ maxRetries: 2 }).get(id).stream(request(model)));
    expect(error).toBeNull();
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(1);
    expect(textOf(events)).toBe('Recovered.');
  });

  it('fails clearly on a malformed chunk', async () => {
    // The pause keeps the good chunk in its own read: Gemini's SDK drops chunks that share a read with a bad one.
    queue().enqueue({ kind: 'stream', steps: [{ text: 'ok ' }, { raw: '{"broken": [ this is not json' }], stepDelayMs: 30 });
    const { events, error } = await collect(registry().get(id).stream(request(model)));
    expect(textOf(events)).toBe('ok ');
    expect(error?.code).toBe('network');
    expect(error?.message).toContain(`The answer from ${label} was cut off`);
  });

  it('fails clearly when the connection drops mid-stream, after what arrived', async () => {
    queue().enqueue({ kind: 'stream', steps: [{ text: 'Partial ' }, { text: 'answer' }, { text: ' lost' }], disconnectAfter: 2 });
    const { events, error } = await collect(registry({ maxRetries: 2 }).get(id).stream(request(model)));
    expect(textOf(events)).toBe('Partial answer');
    // Text had reached the user, so it is not retried (that would show it twice).
    expect(events.some((e) => e.type === 'retry')).toBe(false);
    expect(error?.code).toBe('network');
  });

  it('times out a model that accepts the request but never starts answering', async () => {
    queue().enqueue({ kind: 'stream', steps: [{ wait: 1_000 }, { text: 'too late' }] });
    const { events, error } = await collect(registry({ firstTokenTimeoutMs: 150 }).get(id).stream(request(model)));
    expect(textOf(events)).toBe('');
    expect(error?.code).toBe('timeout');
    expect(error?.message).toContain('did not start answering within');
  });

  it('cancels the HTTP request when stopped', async () => {
    queue().enqueue({ kind: 'stream', steps: Array.from({ length: 100 }, (_, i) => ({ text: `w${i} ` })), stepDelayMs: 20 });
    const controller = new AbortController();
    const events: ProviderStreamEvent[] = [];
    let error: CodaError | null = null;
    try {
      for await (const event of registry()
        .get(id)
        .stream(request(model, undefined, controller.signal))) {
        events.push(event);
        if (events.filter((e) => e.type === 'text').length === 3) controller.abort();
      }
    } catch (e) {
      error = e as CodaError;
    }
    expect(error?.code).toBe('cancelled');
    expect(textOf(events).split(' ').length).toBeLessThan(10);
  });
});

describe('provider registry', () => {
  it('says how to configure a provider that has no key, and lists presets without leaking keys', () => {
    const empty = new ProviderRegistry(scriptedProviders(server), fast);
    const described = empty.describe();
    expect(described.find((p) => p.id === 'anthropic')).toMatchObject({ configured: true, keyLast4: 'test' });
    expect(JSON.stringify(described)).not.toContain('sk-ant-test');
    const none = new ProviderRegistry({ credentials: () => ({}), keyHint: () => 'check it' }, fast);
    expect(() => none.get('anthropic')).toThrow(/No Anthropic key is set: add one in Settings › Providers, or set ANTHROPIC_API_KEY/);
    expect(() => none.get('ollama')).toThrow(/Ollama is not set up/);
    expect(() => none.get('nope')).toThrow(/There is no provider "nope"/);
  });
});
