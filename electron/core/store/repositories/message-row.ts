import { newId } from '../../util/ids.js';
import type { messages } from '../schema.js';

export type MessageRow = typeof messages.$inferSelect;

/**
 * A new message row with a fresh id under `parent` (null: the first message): every column the caller does not give
 * is empty. One place, so a column added to messages gets its empty value once for every writer.
 */
export function newMessageRow(
  sessionId: string,
  parent: { id: string; depth: number } | null,
  times: { createdAt: number; updatedAt: string },
  fields: Pick<MessageRow, 'role' | 'status' | 'content' | 'text'> & Partial<MessageRow>,
): MessageRow {
  return {
    id: newId(),
    sessionId,
    parentId: parent?.id ?? null,
    depth: parent ? parent.depth + 1 : 0,
    reasoning: null,
    provider: null,
    model: null,
    inputTokens: null,
    outputTokens: null,
    cachedInputTokens: null,
    cacheWriteTokens: null,
    reasoningTokens: null,
    usageSource: null,
    estimatedInputTokens: null,
    costUsd: null,
    providerResponseId: null,
    startedAt: null,
    firstTokenAt: null,
    finishedAt: null,
    error: null,
    route: null,
    feedback: null,
    traceId: null,
    pinnedAt: null,
    origin: null,
    createdAt: times.createdAt,
    updatedAt: times.updatedAt,
    deletedAt: null,
    ...fields,
  };
}
