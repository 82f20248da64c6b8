import { z } from 'zod';
import { Id, MessageRole, MessageStatus, MessageUsage, ProviderId, Timing } from './domain.js';
import { RetryModel } from './branch-methods.js';

/** One message of a compared branch: its whole text (to diff), who wrote it, what it cost and how long it took. */
export const CompareMessage = z.object({
  id: Id,
  role: MessageRole,
  text: z.string(),
  provider: ProviderId.nullable(),
  model: z.string().nullable(),
  status: MessageStatus,
  usage: MessageUsage.nullable(),
  costUsd: z.number().nonnegative().nullable(),
  timing: Timing,
  /** Tool calls the answer made (0 for the user's messages). */
  toolCalls: z.number().int().nonnegative(),
});
export type CompareMessage = z.infer<typeof CompareMessage>;

/**
 * A turn of one side: a question and what answered it. The first turn after the common ancestor has no question
 * when the branches part at the answer (two answers to the same question: the question is the ancestor).
 */
export const CompareTurn = z.object({ question: CompareMessage.nullable(), answers: z.array(CompareMessage) });
export type CompareTurn = z.infer<typeof CompareTurn>;

/** The n-th turn after the common ancestor on each side; null where that side has fewer turns. */
export const CompareRow = z.object({ left: CompareTurn.nullable(), right: CompareTurn.nullable() });
export type CompareRow = z.infer<typeof CompareRow>;

/** Sums over a side's answers (from the common ancestor down): what the branch cost and how long it took. */
export const BranchTotals = z.object({
  answers: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  /** Answers with usage but no known price: left out of the cost. */
  unpricedAnswers: z.number().int().nonnegative(),
  /** Answers whose counts are (partly) estimated. */
  estimatedAnswers: z.number().int().nonnegative(),
  /** Sum of the answers' times, from the request to the last token. */
  latencyMs: z.number().int().nonnegative(),
  /** Mean time to the first token over the answers that have one; null when none has. */
  firstTokenMs: z.number().int().nonnegative().nullable(),
  toolCalls: z.number().int().nonnegative(),
  /** The models that answered, in order of first answer, each once. */
  models: z.array(z.string()),
});
export type BranchTotals = z.infer<typeof BranchTotals>;

export const CompareSide = z.object({
  /** The message asked for, and the leaf its branch ends at (what "Use this branch" shows). */
  messageId: Id,
  leafId: Id,
  totals: BranchTotals,
});
export type CompareSide = z.infer<typeof CompareSide>;

export const CompareResult = z.object({
  /** The last message both branches share; null when they part at the chat's first message. */
  ancestor: CompareMessage.nullable(),
  left: CompareSide,
  right: CompareSide,
  rows: z.array(CompareRow),
});
export type CompareResult = z.infer<typeof CompareResult>;

const Run = z.object({ runId: z.string(), messageId: Id, provider: ProviderId, model: z.string() });

export const compareMethods = {
  /**
   * Two branches of a chat side by side. Each side is the branch through the message given, down to its latest
   * leaf (the branch `sessions.switchBranch` would show), from the last message both share; turns are aligned by
   * their position after it.
   */
  'sessions.compare': {
    input: z.object({ sessionId: Id, leftId: Id, rightId: Id }).strict(),
    output: CompareResult,
  },
  /**
   * Answers the question above an answer again with 2 to 4 models at once: each a new sibling answer, all streaming
   * together. Each follows what `chat.retry` does (spending limits, the chat's tool rules).
   */
  'chat.retryMany': {
    input: z
      .object({
        messageId: Id,
        models: z
          .array(RetryModel)
          .min(2, 'Pick at least 2 models.')
          .max(4, 'Pick at most 4 models.')
          .refine((list) => new Set(list.map((m) => `${m.provider}/${m.model}`)).size === list.length, 'Each model can be picked once.'),
        overBudget: z.literal(true).optional(),
      })
      .strict(),
    output: z.object({ runs: z.array(Run) }),
  },
} as const;
