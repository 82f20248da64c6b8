import { z } from 'zod';
import { Id } from './primitives.js';

/* What recall gave an answer, kept with its steps (domain.ts's AgentStep): apart from recall.ts, which imports domain.ts. */

/** How messages are found for recall and for semantic search: by meaning (embeddings) or by their words (FTS5). */
export const RecallMode = z.enum(['semantic', 'keyword']);
export type RecallMode = z.infer<typeof RecallMode>;

/** One earlier message offered to an answer's request, as the answer lists it (a link jumps to it). */
export const RecalledMessage = z.object({
  messageId: Id,
  sessionId: Id,
  sessionTitle: z.string(),
  role: z.enum(['user', 'assistant']),
  depth: z.number().int().nonnegative(),
  /** Cosine similarity to the question (semantic recall); null for keyword ranking. */
  similarity: z.number().nullable(),
  /** The message's opening words. */
  preview: z.string(),
});
export type RecalledMessage = z.infer<typeof RecalledMessage>;

/** What recall gave one answer: stored with the answer's first step. */
export const AnswerRecall = z.object({
  mode: RecallMode,
  /** Why keywords were used (no embedding model, or the provider failed); null for semantic recall. */
  notice: z.string().nullable(),
  messages: z.array(RecalledMessage),
});
export type AnswerRecall = z.infer<typeof AnswerRecall>;
