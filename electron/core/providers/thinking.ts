import type { ThinkingSetting } from './types.js';

type Effort = Extract<ThinkingSetting, { effort: unknown }>['effort'];

/** The budget that stands for each level where a provider takes only a budget (Gemini 2.5 Flash allows up to 24,576). */
export const EFFORT_BUDGETS: Readonly<Record<Effort, number>> = { low: 1_024, medium: 8_192, high: 24_576 };

/** The level a setting stands for where a provider takes only a level: the lowest whose budget covers it. */
export function effortOf(thinking: ThinkingSetting): Effort {
  if ('effort' in thinking) return thinking.effort;
  if (thinking.budgetTokens <= EFFORT_BUDGETS.low) return 'low';
  return thinking.budgetTokens <= EFFORT_BUDGETS.medium ? 'medium' : 'high';
}

/** The budget a setting stands for where a provider takes only a budget. */
export function budgetOf(thinking: ThinkingSetting): number {
  return 'budgetTokens' in thinking ? thinking.budgetTokens : EFFORT_BUDGETS[thinking.effort];
}
