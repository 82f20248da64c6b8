import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CodaError } from '../../../shared/index.js';
import { scriptedProviders } from '../../../tests/helpers/core.js';
import { scriptedTokenCount } from '../../../tests/provider-server/gemini.js';
import { textReply, type Script } from '../../../tests/provider-server/script.js';
import { ScriptedProviderServer } from '../../../tests/provider-server/server.js';
import { GeminiProvider } from './gemini.js';
import { ProviderRegistry } from './registry.js';
import { DEFAULT_POLICY } from './resilience.js';
import type { ChatRequest, ProviderStreamEvent, ThinkingSetting } from './types.js';

// Gemini through the real @google/genai SDK against the scripted server, in Gemini's wire format.
let server: ScriptedProviderServer;
beforeAll(async () => {
  server = await new ScriptedProviderServer().listen();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.countTokens = scriptedTokenCount;
});

const registry = () => new ProviderRegistry(scriptedProviders(server), { ...DEFAULT_POLICY, maxRetries: 0 });
const gemini = () => registry().get('gemini');
const request = (model: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model,
  messages: [{ role: 'user', content: 'hi' }],
  temperature: null,
  signal: new AbortController().signal,
  ...extra,
});

async function collect(iterable: AsyncIterable<ProviderStreamEvent>): Promise<{ events: ProviderStreamEvent[]; error: CodaError | null }> {
  const events: ProviderStreamEvent[] = [];
  try {
    for await (const event of iterable) events.push(event);
    return { events, error: null };
  } catch (error) {
    return { events, error: error as CodaError };
  }
}

const generationConfig = () => server.requests.at(-1)?.body['generationConfig'] as Record<string, unknown> | undefined;

describe('Gemini thinking', () => {
  const cases: { name: string; model: string; thinking: ThinkingSetting; wire: Record<string, unknown> }[] = [
    { name: 'a budget as thinkingBudget', model: 'gemini-2.5-flash', thinking: { budgetTokens: 2048 }, wire: { thinkingBudget: 2048, includeThoughts: true } },
    {
      name: 'a level as a budget on Gemini 2.5',
      model: 'gemini-2.5-pro',
      thinking: { effort: 'high' },
      wire: { thinkingBudget: 24_576, includeThoughts: true },
    },
    {
      name: 'a level as thinkingLevel on later models',
      model: 'gemini-3-pro-preview',
      thinking: { effort: 'low' },
      wire: { thinkingLevel: 'LOW', includeThoughts: true },
    },
    { name: 'a budget of 0 as thinking off, without summaries', model: 'gemini-2.5-flash', thinking: { budgetTokens: 0 }, wire: { thinkingBudget: 0 } },
  ];

  it.each(cases)('sends $name', async ({ model, thinking, wire }) => {
    server.forProvider('gemini').enqueue(textReply('ok'));
    const { error } = await collect(gemini().stream(request(model, { thinking })));
    expect(error).toBeNull();
    expect(generationConfig()?.['thinkingConfig']).toEqual(wire);
  });

  it('leaves thinking to the model when the chat sets none', async () => {
    server.forProvider('gemini').enqueue(textReply('ok'));
    await collect(gemini().stream(request('gemini-2.5-flash', { temperature: 0.3 })));
    expect(generationConfig()).toEqual({ temperature: 0.3 });
  });

  it('streams thought summaries as reasoning, apart from the answer, with thinking tokens billed as output', async () => {
    server.forProvider('gemini').enqueue({
      kind: 'stream',
      steps: [{ reasoning: 'Weighing the options. ' }, { reasoning: 'Short is better.' }, { text: 'Be brief.' }],
      usage: { input: 30, output: 25, reasoning: 18 },
    });
    const { events, error } = await collect(gemini().stream(request('gemini-2.5-pro', { thinking: { effort: 'medium' } })));
    expect(error).toBeNull();
    expect(events.filter((e) => e.type === 'reasoning' || e.type === 'text')).toEqual([
      { type: 'reasoning', text: 'Weighing the options. ' },
      { type: 'reasoning', text: 'Short is better.' },
      { type: 'text', text: 'Be brief.' },
    ]);
    expect(events.find((e) => e.type === 'usage')).toEqual({
      type: 'usage',
      usage: { inputTokens: 30, outputTokens: 25, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 18 },
    });
  });

  it('titles without thought summaries: complete() returns only the answer', async () => {
    server.forProvider('gemini').enqueueCompletion({ kind: 'completion', text: 'A Title' });
    expect(await gemini().complete(request('gemini-2.5-flash'))).toBe('A Title');
  });

  it('sends OpenAI a level as reasoning_effort, a budget as the level that covers it', async () => {
    server.forProvider('openai').enqueue(textReply('ok'), textReply('ok'));
    const openai = registry().get('openai');
    await collect(openai.stream(request('o4-mini', { thinking: { effort: 'medium' } })));
    expect(server.requests.at(-1)?.body['reasoning_effort']).toBe('medium');
    await collect(openai.stream(request('o4-mini', { thinking: { budgetTokens: 20_000 } })));
    expect(server.requests.at(-1)?.body['reasoning_effort']).toBe('high');
  });
});

describe('Gemini token counts', () => {
  it("counts the prompt with Gemini's countTokens, the system prompt included", async () => {
    const messages: ChatRequest['messages'] = [
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: 'What is the capital of Italy?' },
      { role: 'assistant', content: 'Rome.' },
      { role: 'user', content: 'And of Spain?' },
    ];
    const provider = gemini();
    expect(provider.countTokens).toBeTypeOf('function');
    const counted = await provider.countTokens!({ model: 'gemini-2.5-flash', messages, signal: new AbortController().signal });
    const sent = server.requests.at(-1);
    expect(sent).toMatchObject({ method: 'POST', path: '/v1beta/models/gemini-2.5-flash:countTokens', headers: { 'x-goog-api-key': 'gemini-test-key' } });
    expect(sent?.body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Answer in French.' }] },
        { role: 'user', parts: [{ text: 'What is the capital of Italy?' }] },
        { role: 'model', parts: [{ text: 'Rome.' }] },
        { role: 'user', parts: [{ text: 'And of Spain?' }] },
      ],
    });
    expect(counted).toBe(scriptedTokenCount(sent?.body ?? {}));
  });

  it('reports a refused count as a normalized error, and OpenAI offers no count of its own', async () => {
    server.countTokens = () => ({ kind: 'error', status: 429, message: 'Quota exceeded' });
    const failed = await gemini().countTokens!({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'hi' }],
      signal: new AbortController().signal,
    }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'provider_rate_limited' });
    expect(registry().get('openai').countTokens).toBeUndefined();
  });
});

describe('Gemini errors', () => {
  const classes: { name: string; script: Script; code: string; message: RegExp }[] = [
    {
      name: 'a bad key (400 INVALID_ARGUMENT)',
      script: { kind: 'error', status: 400, message: 'API key not valid. Please pass a valid API key.' },
      code: 'provider_auth',
      message: /The Google Gemini key was rejected: check GEMINI_API_KEY/,
    },
    {
      name: 'a key without access (403)',
      script: { kind: 'error', status: 403, message: 'Permission denied on resource project.' },
      code: 'provider_permission',
      message: /not allowed to do this/,
    },
    {
      name: 'an unknown model (404)',
      script: { kind: 'error', status: 404, message: 'models/gemini-0 is not found for API version v1beta' },
      code: 'model_not_found',
      message: /does not know this model/,
    },
    {
      name: 'a rate limit with RetryInfo (429)',
      script: { kind: 'error', status: 429, message: 'Quota exceeded', headers: { 'retry-after': '12' } },
      code: 'provider_rate_limited',
      message: /Try again in 12 s/,
    },
    {
      name: 'an overload (503 UNAVAILABLE)',
      script: { kind: 'error', status: 503, message: 'The model is overloaded.' },
      code: 'provider_overloaded',
      message: /overloaded right now/,
    },
    {
      name: 'a server error (500)',
      script: { kind: 'error', status: 500, message: 'Internal error encountered.' },
      code: 'provider_server',
      message: /server error \(HTTP 500\)/,
    },
    {
      name: 'a prompt over the window (400)',
      script: { kind: 'error', status: 400, message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).' },
      code: 'context_too_long',
      message: /too long for this model's context window/,
    },
    {
      name: 'an error inside the open stream',
      script: { kind: 'stream', steps: [{ text: 'Par' }, { error: { message: 'The model is overloaded.' } }] },
      code: 'provider_overloaded',
      message: /overloaded right now/,
    },
    {
      name: 'a malformed chunk',
      script: { kind: 'stream', steps: [{ text: 'ok ' }, { raw: '{"candidates": [ not json' }], stepDelayMs: 30 },
      code: 'network',
      message: /The answer from Google Gemini was cut off/,
    },
    {
      name: 'a dropped connection',
      script: { kind: 'stream', steps: [{ text: 'Partial ' }, { text: 'answer' }, { text: ' lost' }], disconnectAfter: 2 },
      code: 'network',
      message: /The answer from Google Gemini was cut off/,
    },
  ];

  it.each(classes)('turns $name into $code', async ({ script, code, message }) => {
    server.forProvider('gemini').enqueue(script);
    const { error } = await collect(gemini().stream(request('gemini-2.5-flash')));
    expect(error?.code).toBe(code);
    expect(error?.message).toMatch(message);
  });

  it('names an unreachable address as a network failure', async () => {
    const offline = new GeminiProvider({
      identity: { id: 'gemini', label: 'Google Gemini', keyHint: 'check GEMINI_API_KEY' },
      apiKey: 'k',
      baseUrl: 'http://127.0.0.1:9',
    });
    const { error } = await collect(offline.stream(request('gemini-2.5-flash')));
    expect(error).toMatchObject({ code: 'network', message: expect.stringContaining('Could not reach Google Gemini') });
  });

  it('lists the models that generate content, through the SDK', async () => {
    expect(await gemini().listModels(AbortSignal.timeout(5_000))).toEqual([
      { id: 'gemini-2.5-flash', label: 'gemini-2.5-flash' },
      { id: 'gemini-2.5-pro', label: 'gemini-2.5-pro' },
    ]);
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1beta/models?pageSize=1000', headers: { 'x-goog-api-key': 'gemini-test-key' } });
  });
});
