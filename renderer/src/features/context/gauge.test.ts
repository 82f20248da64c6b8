import { describe, expect, it } from 'vitest';
import type { ContextBreakdown } from '../../../../shared/index.js';
import { gaugeReading } from './gauge.js';

const breakdown = (over: Partial<ContextBreakdown> = {}): ContextBreakdown => ({
  window: 12_000,
  outputReserve: 2_000,
  budget: 10_000,
  system: 100,
  tools: 900,
  pins: 0,
  summary: 0,
  recalled: 0,
  recent: 4_000,
  free: 5_000,
  included: [],
  compressed: [],
  dropped: [],
  pinsOverBudget: false,
  ...over,
});

describe('the context gauge', () => {
  it('adds the draft to what the next request would send, and warns from 90% or once messages are left out', () => {
    expect(gaugeReading(breakdown(), '')).toEqual({ used: 5_000, budget: 10_000, percent: 50, level: 'ok', draftTokens: 0 });
    const typing = gaugeReading(breakdown(), 'x'.repeat(16_000));
    expect(typing).toMatchObject({ used: 9_000, percent: 90, level: 'warn', draftTokens: 4_000 });
    expect(gaugeReading(breakdown(), 'x'.repeat(40_000))).toMatchObject({ percent: 100, level: 'over' });
    expect(gaugeReading(breakdown({ dropped: ['0190a0a0-0000-7000-8000-000000000001'] }), '').level).toBe('warn');
    expect(gaugeReading(breakdown({ pinsOverBudget: true }), '').level).toBe('over');
  });
});
