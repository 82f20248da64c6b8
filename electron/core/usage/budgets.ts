import { BUDGET_WARN_AT, CodaError, formatUsd as usd, type Budgets, type BudgetState, type BudgetStatus } from '../../../shared/index.js';
import type { Preferences } from '../settings/preferences.js';
import type { UsageRepository } from '../store/repositories/usage.js';

/** The first moment of the calendar month `now` falls in, in this machine's time zone (the user's). */
export function startOfMonth(now: number): number {
  const date = new Date(now);
  return new Date(date.getFullYear(), date.getMonth(), 1).getTime();
}

function stateOf(limitUsd: number | null, spentUsd: number): BudgetState | null {
  if (limitUsd === null) return null;
  const level = spentUsd >= limitUsd ? 'over' : spentUsd >= limitUsd * BUDGET_WARN_AT ? 'warn' : 'ok';
  return { limitUsd, spentUsd, level };
}

/** The user's spending limits: kept in preferences, measured against what answers cost (usage repository). */
export class BudgetKeeper {
  constructor(
    private readonly preferences: Preferences,
    private readonly usage: UsageRepository,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Budgets {
    return this.preferences.get('budgets');
  }

  update(change: Partial<Budgets>): Budgets {
    const next = { ...this.get(), ...change };
    this.preferences.set('budgets', next);
    return next;
  }

  async status(sessionId?: string): Promise<BudgetStatus> {
    const { monthlyUsd, chatUsd, block } = this.get();
    const [month, chat] = await Promise.all([
      this.usage.spentSince(startOfMonth(this.now())),
      chatUsd === null || !sessionId ? null : this.usage.spentSince(0, sessionId),
    ]);
    return { month: stateOf(monthlyUsd, month), chat: chat === null ? null : stateOf(chatUsd, chat), block, spentThisMonthUsd: month };
  }

  /**
   * Refuses a send when a limit is reached and the user chose blocking, unless they chose to send this one anyway
   * (`overBudget`, after seeing the limit). The message says which limit, how much is spent, and how to go on.
   */
  async assertCanSend(sessionId: string, overBudget: boolean): Promise<void> {
    if (overBudget || !this.get().block) return;
    const { month, chat } = await this.status(sessionId);
    const reached = month?.level === 'over' ? { name: 'monthly', state: month } : chat?.level === 'over' ? { name: 'per-chat', state: chat } : null;
    if (!reached) return;
    const where = reached.name === 'monthly' ? 'this month' : 'in this chat';
    throw new CodaError(
      'budget_exceeded',
      `The ${reached.name} spending limit of ${usd(reached.state.limitUsd)} is reached: ${usd(reached.state.spentUsd)} spent ${where}. Raise it in Settings › Usage and budgets, or send this message anyway.`,
      { limit: reached.name, limitUsd: reached.state.limitUsd, spentUsd: reached.state.spentUsd },
    );
  }
}
