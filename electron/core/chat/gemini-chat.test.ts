import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionSettings } from '../../../shared/index.js';
import { collectRun, startTestCore, type TestCore } from '../../../tests/helpers/core.js';
import { scriptedTokenCount, thoughtSignature } from '../../../tests/provider-server/gemini.js';
import { textReply } from '../../../tests/provider-server/script.js';
import { TokenCountCache } from './estimate.js';

// Chats with Gemini through the real SDK against the scripted server: estimates from Gemini's own count, thought
// summaries as reasoning, and thought signatures carried through the agent loop.
let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(async () => {
  await t.dispose();
});
beforeEach(() => {
  t.provider.requests.length = 0;
});

async function ask(text: string, settings: Partial<SessionSettings> = { provider: 'gemini', model: 'gemini-2.5-flash' }) {
  const session = await t.client.call('sessions.create', { settings });
  const started = await t.client.call('chat.send', { sessionId: session.id, text });
  const events = await collectRun(t.client, started.runId);
  const last = events.at(-1);
  if (last?.type !== 'done' && last?.type !== 'error') throw new Error('The run did not end');
  return { events, message: last.message };
}

const question = 'Which of the three plans costs least over five years, counting the setup fee?';
const tokenizerEstimate = (system: string | null, text: string) =>
  new TokenCountCache().estimate([...(system ? [{ role: 'system' as const, content: system }] : []), { role: 'user', content: text }]);

describe('estimates with Gemini', () => {
  it("stores Gemini's own count of the prompt, system prompt included, as the estimate", async () => {
    t.provider.forProvider('gemini').enqueue(textReply('Plan B.'));
    const { message } = await ask(question, { provider: 'gemini', model: 'gemini-2.5-flash', systemPrompt: 'Be exact.' });
    expect(message.status).toBe('complete');
    const count = t.provider.requests.find((r) => r.path.endsWith(':countTokens'));
    expect(count?.body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Be exact.' }] },
        { role: 'user', parts: [{ text: question }] },
      ],
    });
    const counted = scriptedTokenCount(count?.body ?? {});
    expect(message.estimatedInputTokens).toBe(counted);
    // The local tokenizer would have said something else: the estimate really is Gemini's.
    expect(tokenizerEstimate('Be exact.', question)).not.toBe(counted);
  });

  it('falls back to the local tokenizer when Gemini refuses the count', async () => {
    t.provider.countTokens = () => ({ kind: 'error', status: 429, message: 'Quota exceeded for countTokens' });
    try {
      t.provider.forProvider('gemini').enqueue(textReply('Plan B.'));
      const { message } = await ask(question);
      expect(message.status).toBe('complete');
      expect(message.estimatedInputTokens).toBe(tokenizerEstimate(null, question));
    } finally {
      t.provider.countTokens = scriptedTokenCount;
    }
  });

  it('uses the local tokenizer for providers without a count of their own', async () => {
    t.provider.forProvider('openai').enqueue(textReply('Plan B.'));
    const { message } = await ask(question, { provider: 'openai', model: 'gpt-4.1-mini' });
    expect(message.estimatedInputTokens).toBe(tokenizerEstimate(null, question));
    expect(t.provider.requests.some((r) => r.path.endsWith(':countTokens'))).toBe(false);
  });
});

describe('Gemini thinking in a chat', () => {
  it('streams thought summaries as reasoning and sends each call back with its thought signature', async () => {
    t.provider.forProvider('gemini').enqueue(
      {
        kind: 'stream',
        steps: [{ reasoning: 'I should look the plans up. ' }, { toolCall: { id: 'ignored', name: 'plans__lookup', arguments: '{"plan":"B"}' } }],
        usage: { input: 40, output: 30, reasoning: 20 },
      },
      textReply('Plan B costs least.', { input: 90, output: 8 }),
    );
    const { events, message } = await ask(question);
    expect(events.filter((e) => e.type === 'reasoning-delta')).toEqual([expect.objectContaining({ text: 'I should look the plans up. ' })]);
    expect(message.content).toContainEqual({ type: 'reasoning', text: 'I should look the plans up. ' });
    expect(message.usage).toMatchObject({ inputTokens: 130, outputTokens: 38, reasoningTokens: 20 });

    // The second step carries the call exactly where the model made it, signature included, and the tool's answer.
    const steps = t.provider.requests.filter((r) => r.path.includes(':streamGenerateContent'));
    expect(steps).toHaveLength(2);
    const contents = steps[1]?.body['contents'] as { role: string; parts: Record<string, unknown>[] }[];
    expect(contents[1]).toEqual({
      role: 'model',
      parts: [{ functionCall: { name: 'plans__lookup', args: { plan: 'B' } }, thoughtSignature: thoughtSignature('plans__lookup', '{"plan":"B"}') }],
    });
    expect(contents[2]).toMatchObject({ role: 'user', parts: [{ functionResponse: { name: 'plans__lookup', response: { error: expect.any(String) } } }] });
  });
});
