import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../../../tests/helpers/core.js';
import { textReply } from '../../../tests/provider-server/script.js';
import { textTokens, turnTokens } from '../chat/estimate.js';
import { CALIBRATION_MAX, TokenCalibration } from './calibration.js';
import { countingFor, openAIEncoding } from './counting.js';

// Token counts corrected from billed usage: the ratio learnt per model, bounded and smoothed, kept across restarts.
describe('token calibration', () => {
  it('learns a ratio per model from billed usage, smoothed and bounded, and never for OpenAI', () => {
    const calibration = TokenCalibration.inMemory();
    expect(calibration.ratio('anthropic', 'claude-sonnet-4-6')).toBe(1);
    expect(calibration.observe('anthropic', 'claude-sonnet-4-6', 1_000, 1_200)).toBe(true);
    expect(calibration.ratio('anthropic', 'claude-sonnet-4-6')).toBe(1.2);
    // One odd request moves it by 30% of the difference.
    calibration.observe('anthropic', 'claude-sonnet-4-6', 1_000, 1_000);
    expect(calibration.ratio('anthropic', 'claude-sonnet-4-6')).toBeCloseTo(1.14, 4);
    expect(calibration.ratio('anthropic', 'claude-opus-4-5')).toBe(1);
    // A wrong report cannot make counts absurd; a tiny request teaches nothing.
    calibration.observe('gemini', 'gemini-2.5-flash', 1_000, 50_000);
    expect(calibration.ratio('gemini', 'gemini-2.5-flash')).toBe(CALIBRATION_MAX);
    expect(calibration.observe('gemini', 'gemini-2.5-pro', 20, 40)).toBe(false);
    expect(calibration.observe('openai', 'gpt-4o', 1_000, 1_300)).toBe(false);
    expect(calibration.ratio('openai', 'gpt-4o')).toBe(1);
  });

  it("counts OpenAI's models with their own encoding, others with o200k times their ratio", () => {
    expect(['gpt-4', 'gpt-4-turbo', 'gpt-3.5-turbo'].map(openAIEncoding)).toEqual(['cl100k_base', 'cl100k_base', 'cl100k_base']);
    expect(['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-5', 'o3'].map(openAIEncoding)).toEqual(Array(5).fill('o200k_base'));
    // Words o200k keeps whole that cl100k splits: the older models' counts differ.
    const text = 'Привет, как дела? これは日本語の文章です。 नमस्ते दुनिया';
    expect(countingFor('openai', 'gpt-4', null).text(text)).toBeGreaterThan(textTokens(text));
    expect(countingFor('openai', 'gpt-4o', null).text(text)).toBe(textTokens(text));
    const calibration = TokenCalibration.inMemory();
    calibration.observe('anthropic', 'claude-sonnet-4-6', 1_000, 1_500);
    const turn = { role: 'user', content: text } as const;
    expect(countingFor('anthropic', 'claude-sonnet-4-6', calibration).turn(turn)).toBe(Math.ceil(turnTokens(turn) * 1.5));
  });
});

describe('calibration from answers', { timeout: 60_000 }, () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await startTestCore();
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('corrects the next request’s counts and pre-flight estimate from what the provider billed, across a restart', async () => {
    const settings = { provider: 'anthropic', model: 'claude-sonnet-4-6' } as const;
    const session = await t.client.call('sessions.create', { settings });
    const question = `Tell me about lighthouses. ${'The keeper climbs the stairs every night. '.repeat(60)}`.trim();
    // What the local tokenizer says of the request (the meter's count: 3 for the request, then each turn).
    const local = 3 + turnTokens({ role: 'user', content: question });
    t.provider.enqueue(textReply('Noted.', { input: Math.round(local * 1.5), output: 5 }));
    const first = await t.client.call('chat.send', { sessionId: session.id, text: question });
    const answered = (await t.client.followRun(first.runId)).message;
    // Before anything was billed, the estimate is the local count.
    expect(answered.estimatedInputTokens).toBe(local);

    const expected = (ratio: number) =>
      Math.ceil(turnTokens({ role: 'user', content: question }) * ratio) + Math.ceil(turnTokens({ role: 'assistant', content: 'Noted.' }) * ratio);
    const shown = await t.client.call('context.show', { sessionId: session.id });
    expect(shown.recent).toBe(expected(1.5));

    await t.reopen();
    const again = await t.client.call('context.show', { sessionId: session.id });
    expect(again.recent).toBe(expected(1.5));

    // The next answer's estimate is corrected too.
    t.provider.enqueue(textReply('Sure.', { input: 900, output: 5 }));
    const second = await t.client.call('chat.send', { sessionId: session.id, text: 'And the lamp?' });
    const next = (await t.client.followRun(second.runId)).message;
    const sentLocal =
      3 +
      turnTokens({ role: 'user', content: question }) +
      turnTokens({ role: 'assistant', content: 'Noted.' }) +
      turnTokens({ role: 'user', content: 'And the lamp?' });
    expect(next.estimatedInputTokens).toBe(Math.round(sentLocal * 1.5));
  });
});
