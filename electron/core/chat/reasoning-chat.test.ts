import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionSettings } from '../../../shared/index.js';
import { collectRun, startTestCore, type TestCore } from '../../../tests/helpers/core.js';
import { redactedData, thinkingSignature } from '../../../tests/provider-server/anthropic.js';
import { thoughtSignature } from '../../../tests/provider-server/gemini.js';
import type { StreamScript } from '../../../tests/provider-server/script.js';
import { loadSessionView } from '../cli/session-view.js';
import { AgentRepository } from '../store/repositories/agent.js';

// Reasoning kept per step and sent back where the provider needs it, through the real SDKs against the scripted
// server (which refuses, as Anthropic does, a tool loop whose thinking blocks are missing, reordered or altered).
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

async function ask(settings: Partial<SessionSettings>, text: string, sessionId?: string) {
  const session = sessionId ? { id: sessionId } : await t.client.call('sessions.create', { settings });
  const started = await t.client.call('chat.send', { sessionId: session.id, text });
  const events = await collectRun(t.client, started.runId);
  const last = events.at(-1);
  if (last?.type !== 'done' && last?.type !== 'error') throw new Error('The run did not end');
  const trace = await t.client.call('messages.agentTrace', { messageIds: [last.message.id] });
  return { sessionId: session.id, message: last.message, steps: trace.steps, events };
}

const lookup = (id: string) => ({ toolCall: { id, name: 'plans__lookup', arguments: '{"plan":"B"}' } });
const chatRequests = (provider: string) => t.provider.requests.filter((r) => r.provider === provider && r.body['stream'] === true);

describe('Anthropic thinking', () => {
  const anthropic = { provider: 'anthropic', model: 'claude-haiku-4-5', thinking: { budgetTokens: 2048 } } as const;
  const toolStep: StreamScript = {
    kind: 'stream',
    steps: [{ reasoning: 'The user wants ' }, { reasoning: 'plan B.' }, { redactedThinking: 'r1' }, { text: 'Let me look it up.' }, lookup('toolu_1')],
    usage: { input: 40, output: 30, reasoning: 20 },
  };
  const answerStep: StreamScript = {
    kind: 'stream',
    steps: [{ reasoning: 'B is cheapest.' }, { text: 'Plan B costs least.' }],
    usage: { input: 90, output: 12, reasoning: 6 },
  };

  it('asks for thinking with the budget and sends each thinking block back, signed and in order, within the tool loop', async () => {
    t.provider.forProvider('anthropic').enqueue(toolStep, answerStep);
    const { message, steps, events, sessionId } = await ask(anthropic, 'Which plan costs least?');
    expect(message.status).toBe('complete');
    expect(events.filter((e) => e.type === 'reasoning-delta').map((e) => (e.type === 'reasoning-delta' ? e.text : ''))).toEqual([
      'The user wants ',
      'plan B.',
      'B is cheapest.',
    ]);
    expect(message.usage).toMatchObject({ outputTokens: 42, reasoningTokens: 26 });

    const [first, second] = chatRequests('anthropic');
    // The budget, and room for an answer after it: thinking counts in max_tokens.
    expect(first?.body).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 2048 }, max_tokens: 2048 + 8192 });
    expect(first?.body).not.toHaveProperty('temperature');
    // Claude 4.5 thinks between tool calls only with the interleaved-thinking beta.
    expect(first?.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14');
    const messages = second?.body['messages'] as { role: string; content: unknown }[];
    expect(messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'The user wants plan B.', signature: thinkingSignature('The user wants plan B.') },
        { type: 'redacted_thinking', data: redactedData('r1') },
        { type: 'text', text: 'Let me look it up.' },
        { type: 'tool_use', id: 'toolu_1', name: 'plans__lookup', input: { plan: 'B' } },
      ],
    });

    // Each step keeps what the model wrote and its reasoning; the signatures stay in core.
    expect(steps.map(({ ordinal, kind, content, reasoning }) => ({ ordinal, kind, content, reasoning }))).toEqual([
      { ordinal: 0, kind: 'tool-selection', content: 'Let me look it up.', reasoning: 'The user wants plan B.' },
      { ordinal: 1, kind: 'synthesis', content: 'Plan B costs least.', reasoning: 'B is cheapest.' },
    ]);
    expect(JSON.stringify(steps)).not.toContain(thinkingSignature('The user wants plan B.'));
    // `coda sessions show ID --json` prints this view: the steps with their reasoning, and no signature.
    const view = await loadSessionView(t.client, await t.client.call('sessions.resolve', { idPrefix: sessionId }));
    expect(view.steps.map((s) => s.reasoning)).toEqual(['The user wants plan B.', 'B is cheapest.']);
    expect(JSON.stringify(view)).not.toContain(redactedData('r1'));
    expect(await new AgentRepository(t.core.store).replayOf(message.id)).toEqual([
      [
        { kind: 'anthropic-thinking', text: 'The user wants plan B.', signature: thinkingSignature('The user wants plan B.') },
        { kind: 'anthropic-redacted', data: redactedData('r1') },
      ],
      [{ kind: 'anthropic-thinking', text: 'B is cheapest.', signature: thinkingSignature('B is cheapest.') }],
    ]);
  });

  it('answers the next question of the chat, whose earlier answers go back as their text', async () => {
    t.provider.forProvider('anthropic').enqueue(toolStep, answerStep, { kind: 'stream', steps: [{ reasoning: 'Easy.' }, { text: 'Yes.' }] });
    const first = await ask(anthropic, 'Which plan costs least?');
    const next = await ask(anthropic, 'Is that per month?', first.sessionId);
    expect(next.message.status).toBe('complete');
    const third = chatRequests('anthropic')[2]?.body['messages'];
    expect(third).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Which plan costs least?' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Let me look it up.\n\nPlan B costs least.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Is that per month?' }] },
    ]);
  });

  it('maps a level onto the budget or the adaptive thinking each model takes', async () => {
    const cases: [Partial<SessionSettings>, Record<string, unknown>][] = [
      [
        { model: 'claude-haiku-4-5', thinking: { effort: 'medium' } },
        { thinking: { type: 'enabled', budget_tokens: 8192 }, max_tokens: 8192 + 8192 },
      ],
      [
        { model: 'claude-sonnet-4-6', thinking: { effort: 'high' } },
        { thinking: { type: 'adaptive', display: 'summarized' }, output_config: { effort: 'high' } },
      ],
      [
        { model: 'claude-sonnet-4-6', thinking: { budgetTokens: 500 }, maxOutputTokens: 4000 },
        { thinking: { type: 'enabled', budget_tokens: 1024 }, max_tokens: 4000 },
      ],
      [{ model: 'claude-sonnet-4-6', thinking: { budgetTokens: 0 } }, { thinking: { type: 'disabled' } }],
      [
        { model: 'claude-opus-4-7', thinking: { budgetTokens: 30_000 } },
        { thinking: { type: 'adaptive', display: 'summarized' }, output_config: { effort: 'high' } },
      ],
    ];
    for (const [settings] of cases) {
      t.provider.forProvider('anthropic').enqueue({ kind: 'stream', steps: [{ text: 'ok' }] });
      expect((await ask({ provider: 'anthropic', ...settings }, 'hi')).message.status).toBe('complete');
    }
    expect(chatRequests('anthropic').map((r) => r.body)).toEqual(cases.map(([, body]) => expect.objectContaining(body)));
    // Adaptive thinking interleaves by itself: the beta goes only with a budget.
    expect(chatRequests('anthropic').map((r) => r.headers['anthropic-beta'] ?? null)).toEqual([
      'interleaved-thinking-2025-05-14',
      null,
      'interleaved-thinking-2025-05-14',
      null,
      null,
    ]);
    // Opus 4.7 cannot turn thinking off: a budget of 0 asks nothing, and it answers as it does by default.
    t.provider.forProvider('anthropic').enqueue({ kind: 'stream', steps: [{ text: 'ok' }] });
    await ask({ provider: 'anthropic', model: 'claude-opus-4-7', thinking: { budgetTokens: 0 } }, 'hi');
    expect(chatRequests('anthropic').at(-1)?.body).not.toHaveProperty('thinking');
    // Claude 3.5 does not think: nothing is asked of it.
    t.provider.forProvider('anthropic').enqueue({ kind: 'stream', steps: [{ text: 'ok' }] });
    await ask({ provider: 'anthropic', model: 'claude-3-5-haiku-latest', thinking: { effort: 'high' } }, 'hi');
    expect(chatRequests('anthropic').at(-1)?.body).not.toHaveProperty('thinking');
  });

  it('refuses, naming the setting to change, a temperature or a longest answer Anthropic does not take with thinking', async () => {
    const hot = await ask({ ...anthropic, temperature: 0.3 }, 'hi');
    expect(hot.message.status).toBe('error');
    expect(hot.message.error).toMatchObject({ code: 'validation', message: expect.stringContaining('Temperature') });
    const short = await ask({ ...anthropic, maxOutputTokens: 2048 }, 'hi');
    expect(short.message.error).toMatchObject({ code: 'validation', message: expect.stringContaining('Raise Longest answer or lower Thinking') });
    expect(chatRequests('anthropic')).toHaveLength(0);
  });
});

describe('OpenAI-compatible reasoning', () => {
  for (const [provider, field] of [
    ['ollama', 'reasoning_content'],
    ['openrouter', 'reasoning'],
  ] as const) {
    it(`keeps ${provider}'s ${field} per step and counts its reasoning tokens`, async () => {
      t.provider.forProvider('openai').enqueue(
        {
          kind: 'stream',
          reasoningField: field,
          steps: [{ reasoning: 'Need the price list. ' }, { text: 'Checking the plans.' }, lookup('call_1')],
          usage: { input: 30, output: 25, reasoning: 12 },
        },
        { kind: 'stream', reasoningField: field, steps: [{ reasoning: 'B wins.' }, { text: 'Plan B.' }], usage: { input: 60, output: 9, reasoning: 5 } },
      );
      const { message, steps } = await ask({ provider, model: 'deepseek-r1' }, 'Which plan costs least?');
      expect(message.status).toBe('complete');
      expect(message.usage).toMatchObject({ outputTokens: 34, reasoningTokens: 17 });
      expect(message.content).toContainEqual({ type: 'reasoning', text: 'Need the price list. B wins.' });
      expect(steps.map(({ kind, content, reasoning }) => ({ kind, content, reasoning }))).toEqual([
        { kind: 'tool-selection', content: 'Checking the plans.', reasoning: 'Need the price list. ' },
        { kind: 'synthesis', content: 'Plan B.', reasoning: 'B wins.' },
      ]);
      // DeepSeek's thinking mode refuses a tool loop without the turn's reasoning_content; OpenRouter's field is not sent back.
      const assistant = (chatRequests('openai')[1]?.body['messages'] as Record<string, unknown>[])[1];
      expect(assistant).toMatchObject({ role: 'assistant', content: 'Checking the plans.', tool_calls: [expect.objectContaining({ id: 'call_1' })] });
      if (field === 'reasoning_content') expect(assistant?.['reasoning_content']).toBe('Need the price list. ');
      else expect(assistant).not.toHaveProperty('reasoning_content');
    });
  }
});

describe('Gemini thought summaries', () => {
  it("keeps each step's thought summary beside its text, and the call's thought signature still goes back", async () => {
    t.provider
      .forProvider('gemini')
      .enqueue(
        { kind: 'stream', steps: [{ reasoning: 'Look it up. ' }, { text: 'Checking.' }, lookup('ignored')], usage: { input: 20, output: 15, reasoning: 9 } },
        { kind: 'stream', steps: [{ reasoning: 'Done.' }, { text: 'Plan B.' }], usage: { input: 40, output: 6, reasoning: 2 } },
      );
    const { message, steps } = await ask({ provider: 'gemini', model: 'gemini-2.5-flash', thinking: { effort: 'low' } }, 'Which plan?');
    expect(message.usage).toMatchObject({ reasoningTokens: 11 });
    expect(steps.map(({ content, reasoning }) => ({ content, reasoning }))).toEqual([
      { content: 'Checking.', reasoning: 'Look it up. ' },
      { content: 'Plan B.', reasoning: 'Done.' },
    ]);
    const second = t.provider.requests.filter((r) => r.path.includes(':streamGenerateContent'))[1];
    const model = (second?.body['contents'] as { role: string; parts: Record<string, unknown>[] }[])[1];
    expect(model?.parts.find((p) => p['functionCall'])).toHaveProperty('thoughtSignature', thoughtSignature('plans__lookup', '{"plan":"B"}'));
  });
});
