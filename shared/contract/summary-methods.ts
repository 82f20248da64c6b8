import { z } from 'zod';
import { Id, ProviderId, Timestamp } from './domain.js';

/** One fact the quality check looks for in a summary: a name, a number (with its unit) or a decision. */
export const SummaryFact = z.object({ kind: z.enum(['name', 'number', 'decision']), text: z.string() });
export type SummaryFact = z.infer<typeof SummaryFact>;

/** What a summary kept of its range: every fact found in the covered messages, the ones it lost, and the share kept. */
export const SummaryQuality = z.object({
  /** Facts found in the covered messages (deterministic extraction; see docs/decisions/0025-summarization.md). */
  checked: z.number().int().nonnegative(),
  lost: z.array(SummaryFact),
  /** Share of the facts the summary kept, 0 to 1 (1 when the range had none). */
  coverage: z.number().min(0).max(1),
});
export type SummaryQuality = z.infer<typeof SummaryQuality>;

/**
 * A summary of a conversation's earlier messages: it covers the path from the first message to `toMessageId`, so it
 * applies to every branch going through that message and to no other. Sent in place of the messages it covers.
 */
export const Summary = z.object({
  id: Id,
  sessionId: Id,
  fromMessageId: Id,
  toMessageId: Id,
  /** Messages summarized (questions and answers). */
  messageCount: z.number().int().nonnegative(),
  text: z.string(),
  provider: ProviderId,
  model: z.string(),
  /** Made when the history passed the threshold, or asked for (the button, /compact, `coda summarize`). */
  trigger: z.enum(['auto', 'manual']),
  quality: SummaryQuality,
  /** Tokens and cost of the summarizer's calls (null where the provider reported none). */
  inputTokens: z.number().int().nonnegative().nullable(),
  outputTokens: z.number().int().nonnegative().nullable(),
  costUsd: z.number().nonnegative().nullable(),
  editedAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type Summary = z.infer<typeof Summary>;

/** When and with what chats are summarized (all chats). */
export const SummarySettings = z.object({
  /** Summarize automatically once the history passes the threshold. */
  auto: z.boolean(),
  /** Percent of the model's window the history may fill before it is summarized. */
  thresholdPercent: z.number().int().min(10).max(95),
  /** The model that writes summaries; null: the chat's own model. */
  model: z.object({ provider: ProviderId, model: z.string().min(1).max(200) }).nullable(),
});
export type SummarySettings = z.infer<typeof SummarySettings>;

export const DEFAULT_SUMMARY_SETTINGS: SummarySettings = { auto: true, thresholdPercent: 50, model: null };

export const SummaryEdit = z.string().trim().min(1, 'A summary cannot be empty.').max(100_000);

export const summaryMethods = {
  /** The summary in effect on a chat's branch (its active message's path, or `leafId`'s): the deepest one on it. */
  'summaries.current': {
    input: z.object({ sessionId: Id, leafId: Id.optional() }).strict(),
    output: Summary.nullable(),
  },
  /** Summarizes the chat's branch now, up to its active message (the button, /compact, `coda summarize`). */
  'summaries.create': {
    input: z.object({ sessionId: Id }).strict(),
    output: Summary,
  },
  /** Replaces a summary's text (checked again for what it lost); later requests send the edited text. */
  'summaries.update': {
    input: z.object({ summaryId: Id, text: SummaryEdit }).strict(),
    output: Summary,
  },
  'summaries.settings': {
    input: z.object({}).strict(),
    output: SummarySettings,
  },
  'summaries.updateSettings': {
    input: SummarySettings.partial().strict(),
    output: SummarySettings,
  },
} as const;
