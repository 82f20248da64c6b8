import { z } from 'zod';
import { Id, ProviderId, Timestamp } from './domain.js';

/**
 * Spending limits in USD: one per calendar month (all chats) and one per chat. Sending warns at 80% of a limit; at
 * 100% it is refused only when `block` is on, and then the user may send once anyway.
 */
export const Budgets = z.object({
  monthlyUsd: z.number().positive().max(1_000_000).nullable(),
  chatUsd: z.number().positive().max(1_000_000).nullable(),
  block: z.boolean(),
});
export type Budgets = z.infer<typeof Budgets>;

export const DEFAULT_BUDGETS: Budgets = { monthlyUsd: null, chatUsd: null, block: false };

/** The share of a limit at which sending warns. */
export const BUDGET_WARN_AT = 0.8;

/** One limit as it stands: spent so far against it, and what sending would meet. */
export const BudgetState = z.object({
  limitUsd: z.number().positive(),
  spentUsd: z.number().nonnegative(),
  /** `warn` from 80% of the limit, `over` from 100%. */
  level: z.enum(['ok', 'warn', 'over']),
});
export type BudgetState = z.infer<typeof BudgetState>;

export const BudgetStatus = z.object({
  /** Null when no monthly limit is set. */
  month: BudgetState.nullable(),
  /** Null when no per-chat limit is set or no chat was named. */
  chat: BudgetState.nullable(),
  /** Sending is refused at 100% (unless sent once anyway). */
  block: z.boolean(),
  /** Spent on answers started this calendar month, limit or not. */
  spentThisMonthUsd: z.number().nonnegative(),
});
export type BudgetStatus = z.infer<typeof BudgetStatus>;

/** One answer's usage as billed (or estimated where the provider sent no counts), for reports and CSV. */
export const UsageRow = z.object({
  messageId: Id,
  sessionId: Id,
  sessionTitle: z.string(),
  /** When the answer was started. */
  at: Timestamp,
  provider: ProviderId.nullable(),
  model: z.string().nullable(),
  status: z.enum(['streaming', 'complete', 'interrupted', 'error']),
  inputTokens: z.number().int().nonnegative(),
  cachedInputTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  reasoningTokens: z.number().int().nonnegative(),
  /** Null when the model has no known price. */
  costUsd: z.number().nonnegative().nullable(),
  estimated: z.boolean(),
});
export type UsageRow = z.infer<typeof UsageRow>;

const Range = z
  .object({
    /** Earliest start, inclusive (ms since the epoch). */
    from: Timestamp.optional(),
    /** Latest start, exclusive (ms since the epoch). */
    to: Timestamp.optional(),
    /** Only this chat's answers, every branch included. */
    sessionId: Id.optional(),
  })
  .strict()
  .refine((r) => r.from === undefined || r.to === undefined || r.from < r.to, { message: 'The start of the range must be before its end.', path: ['to'] });

export const usageMethods = {
  /** Every answer with usage in the range, oldest first (at most 100,000 rows). */
  'usage.answers': { input: Range, output: z.object({ rows: z.array(UsageRow), truncated: z.boolean() }) },
  'budgets.get': { input: z.object({}).strict(), output: Budgets },
  'budgets.update': { input: Budgets.partial().strict(), output: Budgets },
  /** Spending against the limits this month and, given a chat, in that chat. */
  'budgets.status': { input: z.object({ sessionId: Id.optional() }).strict(), output: BudgetStatus },
} as const;
