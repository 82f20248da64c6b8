import { eq, sql } from 'drizzle-orm';
import type { TreeNode } from '../../../../shared/index.js';
import { messages } from '../schema.js';
import type { Store } from '../store.js';

/** How much of a message's text the tree view previews. */
const EXCERPT_CHARS = 120;

/**
 * A chat's whole conversation tree, compact (no content, no reasoning): one row per message, deleted ones included,
 * for the tree view. A thousand-message chat is a few hundred kilobytes at most.
 */
export class MessageTreeRepository {
  constructor(private readonly store: Store) {}

  async nodes(sessionId: string): Promise<TreeNode[]> {
    const rows = await this.store.db
      .select({
        id: messages.id,
        parentId: messages.parentId,
        role: messages.role,
        model: messages.model,
        excerpt: sql<string>`substr(${messages.text}, 1, ${EXCERPT_CHARS})`,
        inputTokens: messages.inputTokens,
        outputTokens: messages.outputTokens,
        costUsd: messages.costUsd,
        createdAt: messages.createdAt,
        deletedAt: messages.deletedAt,
      })
      .from(messages)
      .where(eq(messages.sessionId, sessionId))
      .orderBy(messages.createdAt, messages.id)
      .all();
    return rows.map((r) => ({
      id: r.id,
      parentId: r.parentId,
      role: r.role,
      model: r.role === 'assistant' ? r.model : null,
      excerpt: r.excerpt.replace(/\s+/g, ' ').trim(),
      tokens: r.inputTokens === null && r.outputTokens === null ? null : (r.inputTokens ?? 0) + (r.outputTokens ?? 0),
      costUsd: r.costUsd,
      createdAt: r.createdAt,
      deleted: r.deletedAt !== null,
    }));
  }
}
