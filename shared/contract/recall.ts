import { z } from 'zod';
import { ProviderId } from './domain.js';
import { RecallMode } from './recalled.js';

export * from './recalled.js';

/** The model that turns messages into vectors: a provider with an embeddings API and one of its embedding models. */
export const EmbeddingModel = z.object({ provider: ProviderId, model: z.string().trim().min(1).max(200) }).strict();
export type EmbeddingModel = z.infer<typeof EmbeddingModel>;

/** What recall may offer before an answer (Settings › Recall). */
export const RecallSettings = z
  .object({
    /** Null: no embedding model, so recall ranks by keywords. */
    embedding: EmbeddingModel.nullable(),
    /** Offer earlier messages of every chat, not only of the chat being answered. */
    allChats: z.boolean(),
    /** Lowest cosine similarity (0 to 1) a message needs to be offered. */
    threshold: z.number().min(0).max(1),
    /** At most this many messages per answer (0 turns recall off). */
    limit: z.number().int().min(0).max(20),
  })
  .strict();
export type RecallSettings = z.infer<typeof RecallSettings>;

export const DEFAULT_RECALL_SETTINGS: RecallSettings = { embedding: null, allChats: false, threshold: 0.5, limit: 5 };

/** How far embedding the history has come for the current model. */
export const EmbeddingProgress = z.object({
  embedded: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** The background queue is embedding right now. */
  running: z.boolean(),
  /** Why the last batch failed (the provider's error); null when it did not. */
  error: z.string().nullable(),
});
export type EmbeddingProgress = z.infer<typeof EmbeddingProgress>;

export const RecallStatus = z.object({
  settings: RecallSettings,
  mode: RecallMode,
  /** Why recall ranks by keywords (no embedding model, or it failed); null when it recalls by meaning. */
  notice: z.string().nullable(),
  progress: EmbeddingProgress,
});
export type RecallStatus = z.infer<typeof RecallStatus>;

export const SearchMode = z.enum(['keyword', 'semantic', 'hybrid']);
export type SearchMode = z.infer<typeof SearchMode>;

/** Semantic recall: its settings, and embedding the history. */
export const recallMethods = {
  'recall.status': { input: z.object({}).strict(), output: RecallStatus },
  'recall.update': { input: RecallSettings.partial().strict(), output: RecallStatus },
  /**
   * Embeds every message not yet embedded with the current model, and resolves when done (the `embedding-progress`
   * app event reports on the way). Refused without an embedding model.
   */
  'recall.backfill': { input: z.object({}).strict(), output: EmbeddingProgress },
} as const;
