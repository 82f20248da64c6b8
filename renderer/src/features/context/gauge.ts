import type { ContextBreakdown } from '../../../../shared/index.js';

/** Characters per token for a draft not yet sent: an estimate cheap enough for every keystroke (the send counts exactly). */
const CHARS_PER_TOKEN = 4;

export interface GaugeReading {
  /** Tokens the next request would take with the draft: everything the builder put in, plus the draft. */
  used: number;
  budget: number;
  /** 0–100, rounded down, at most 100. */
  percent: number;
  level: 'ok' | 'warn' | 'over';
  draftTokens: number;
}

/** From 90% of the budget the gauge warns: what does not fit is shortened, then left out, oldest first. */
export const GAUGE_WARN_AT = 0.9;

/** How full the model's window would be if the draft were sent now. */
export function gaugeReading(breakdown: ContextBreakdown, draft: string): GaugeReading {
  const draftTokens = Math.ceil(draft.length / CHARS_PER_TOKEN);
  const used = breakdown.system + breakdown.tools + breakdown.pins + breakdown.summary + breakdown.recalled + breakdown.recent + draftTokens;
  const share = breakdown.budget > 0 ? used / breakdown.budget : 1;
  const level = breakdown.pinsOverBudget || share > 1 ? 'over' : share >= GAUGE_WARN_AT || breakdown.dropped.length > 0 ? 'warn' : 'ok';
  return { used, budget: breakdown.budget, percent: Math.min(100, Math.floor(share * 100)), level, draftTokens };
}
