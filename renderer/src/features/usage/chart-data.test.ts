import { describe, expect, it } from 'vitest';
import type { UsageRow } from '../../../../shared/index.js';
import { answerBars } from './chart-data.js';

const row = (over: Partial<UsageRow>): UsageRow => ({
  messageId: '0190a0a0-0000-7000-8000-000000000001',
  sessionId: '0190a0a0-0000-7000-8000-000000000002',
  sessionTitle: 'Chat',
  at: 1,
  provider: 'openai',
  model: 'gpt-4.1-mini',
  status: 'complete',
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  costUsd: 0,
  estimated: false,
  ...over,
});

describe('the chat usage chart', () => {
  it('stacks cached input, fresh input and output per answer, and runs the cost, leaving unpriced answers out of it', () => {
    const bars = answerBars([
      row({ inputTokens: 1000, cachedInputTokens: 600, outputTokens: 200, costUsd: 0.01 }),
      row({ inputTokens: 50, outputTokens: 5, costUsd: null }),
      row({ inputTokens: 10, outputTokens: 10, costUsd: 0.005 }),
    ]);
    expect(bars[0]!.parts).toEqual([
      { key: 'cached', from: 0, to: 600 },
      { key: 'input', from: 600, to: 1000 },
      { key: 'output', from: 1000, to: 1200 },
    ]);
    expect(bars.map((b) => b.total)).toEqual([1200, 55, 20]);
    expect(bars.map((b) => b.runningCostUsd)).toEqual([0.01, 0.01, 0.015]);
    expect(bars[1]!.costUsd).toBe(0);
  });
});
