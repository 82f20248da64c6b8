import type { UsageRepository } from '../store/repositories/usage.js';
import type { BudgetKeeper } from '../usage/budgets.js';
import type { Handlers } from './router.js';

/** What answers cost (reports, CSV) and the user's spending limits. */
export function createUsageHandlers(
  usage: UsageRepository,
  budgets: BudgetKeeper,
): Pick<Handlers, 'usage.answers' | 'budgets.get' | 'budgets.update' | 'budgets.status'> {
  return {
    'usage.answers': (range) => usage.answers(range),
    'budgets.get': async () => budgets.get(),
    'budgets.update': async (change) => budgets.update(change),
    'budgets.status': ({ sessionId }) => budgets.status(sessionId),
  };
}
