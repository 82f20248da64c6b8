import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { CodaError } from '../../../../shared/index.js';
import { messages, sessions } from '../schema.js';
import type { Store } from '../store.js';

/**
 * The conversation tree's branches: which alternatives a message has, which leaf a branch leads to, and deleting a
 * message with everything under it (a tombstone, so it can be undone). Nothing is overwritten: regenerating or
 * editing adds siblings; switching branch moves the session's active leaf.
 */
export class BranchesRepository {
  constructor(private readonly store: Store) {}

  /**
   * For messages of a path (oldest first): the live messages sharing each one's parent, oldest first, only where
   * there is more than one (the path's first message's siblings are the other first messages of the session).
   */
  async siblings(sessionId: string, path: readonly { id: string; parentId: string | null }[]): Promise<Record<string, string[]>> {
    if (path.length === 0) return {};
    const parents = [...new Set(path.flatMap((m) => (m.parentId ? [m.parentId] : [])))];
    const rootsToo = path.some((m) => m.parentId === null);
    const rows = await this.store.db
      .select({ id: messages.id, parentId: messages.parentId })
      .from(messages)
      .where(
        and(
          eq(messages.sessionId, sessionId),
          isNull(messages.deletedAt),
          rootsToo
            ? sql`(${messages.parentId} IS NULL OR ${inArray(messages.parentId, parents.length ? parents : [''])})`
            : inArray(messages.parentId, parents),
        ),
      )
      .orderBy(messages.createdAt, messages.id)
      .all();
    const byParent = new Map<string | null, string[]>();
    for (const row of rows) byParent.set(row.parentId, [...(byParent.get(row.parentId) ?? []), row.id]);
    const out: Record<string, string[]> = {};
    for (const message of path) {
      const group = byParent.get(message.parentId) ?? [];
      if (group.length > 1) out[message.id] = group;
    }
    return out;
  }

  /**
   * The most recently made leaf under `messageId` (itself when it has no live children): where its branch ends.
   * `without`: a message whose whole subtree is left out (one about to be deleted).
   */
  async latestLeafUnder(messageId: string, without = ''): Promise<string | null> {
    const row = await this.store.db.get<{ id: string } | undefined>(sql`
      WITH RECURSIVE sub(id) AS (
        SELECT id FROM messages WHERE id = ${messageId} AND deleted_at IS NULL
        UNION ALL
        SELECT m.id FROM messages m JOIN sub ON m.parent_id = sub.id WHERE m.deleted_at IS NULL AND m.id != ${without}
      )
      SELECT m.id FROM messages m JOIN sub ON m.id = sub.id
      WHERE NOT EXISTS (SELECT 1 FROM messages c WHERE c.parent_id = m.id AND c.deleted_at IS NULL AND c.id != ${without})
      ORDER BY m.created_at DESC, m.id DESC
      LIMIT 1`);
    return row?.id ?? null;
  }

  /** Shows the branch through `messageId`: the session's active leaf becomes the latest leaf under it. */
  async switchTo(sessionId: string, messageId: string): Promise<void> {
    const message = await this.live(sessionId, messageId);
    const leaf = (await this.latestLeafUnder(message.id)) ?? message.id;
    await this.store.write((db) => db.update(sessions).set({ activeLeafId: leaf, updatedAt: this.store.clock.now() }).where(eq(sessions.id, sessionId)));
  }

  /**
   * Makes an answer the session's active leaf even though messages follow it: the next message sent is a new branch
   * beside them. Only an answer that is not streaming: a question is always followed by its own answer.
   */
  async branchFrom(sessionId: string, messageId: string): Promise<void> {
    await this.live(sessionId, messageId);
    const row = await this.store.db.select({ role: messages.role, status: messages.status }).from(messages).where(eq(messages.id, messageId)).get();
    if (row?.role !== 'assistant') throw new CodaError('validation', 'Branch from an answer; to change a question, edit it.');
    if (row.status === 'streaming') throw new CodaError('conflict', 'This answer is still streaming; stop it first.');
    await this.store.write((db) => db.update(sessions).set({ activeLeafId: messageId, updatedAt: this.store.clock.now() }).where(eq(sessions.id, sessionId)));
  }

  /**
   * Deletes a message and everything under it (tombstones, all stamped with one time so undo restores exactly them).
   * The session then shows the neighbouring branch (the parent's latest remaining leaf). Refused while an answer in
   * it is still streaming.
   */
  async deleteSubtree(sessionId: string, messageId: string): Promise<{ deletedAt: number; count: number }> {
    const message = await this.live(sessionId, messageId);
    const deletedAt = Date.now();
    // One write unit: the subtree is read, checked, and its tombstones, the count and the leaf shown next are written
    // in one batch (one transaction).
    const count = await this.store.write(async (db) => {
      const subtree = await db.all<{ id: string; status: string }>(sql`
        WITH RECURSIVE sub(id) AS (
          SELECT id FROM messages WHERE id = ${messageId}
          UNION ALL
          SELECT m.id FROM messages m JOIN sub ON m.parent_id = sub.id WHERE m.deleted_at IS NULL
        )
        SELECT m.id, m.status FROM messages m JOIN sub ON m.id = sub.id`);
      if (subtree.some((m) => m.status === 'streaming')) throw new CodaError('conflict', 'An answer there is still streaming; stop it first.');
      const ids = subtree.map((m) => m.id);
      const next = message.parentId
        ? ((await this.latestLeafUnder(message.parentId, message.id)) ?? message.parentId)
        : await this.latestRootLeaf(sessionId, message.id);
      await db.batch([
        db.update(messages).set({ deletedAt, updatedAt: this.store.clock.now() }).where(inArray(messages.id, ids)),
        db
          .update(sessions)
          .set({ activeLeafId: next, messageCount: sql`max(0, ${sessions.messageCount} - ${ids.length})`, updatedAt: this.store.clock.now() })
          .where(eq(sessions.id, sessionId)),
      ]);
      return ids.length;
    });
    return { deletedAt, count };
  }

  /** Undoes `deleteSubtree`: the messages it deleted come back and the session shows them again. */
  async restoreSubtree(sessionId: string, messageId: string, deletedAt: number): Promise<void> {
    const restored = await this.store.write(async (db) => {
      const rows = await db.all<{ id: string }>(sql`
        WITH RECURSIVE sub(id) AS (
          SELECT id FROM messages WHERE id = ${messageId} AND session_id = ${sessionId} AND deleted_at = ${deletedAt}
          UNION ALL
          SELECT m.id FROM messages m JOIN sub ON m.parent_id = sub.id WHERE m.deleted_at = ${deletedAt}
        )
        SELECT id FROM sub`);
      if (rows.length === 0) return 0;
      await db.batch([
        db
          .update(messages)
          .set({ deletedAt: null, updatedAt: this.store.clock.now() })
          .where(
            inArray(
              messages.id,
              rows.map((r) => r.id),
            ),
          ),
        db
          .update(sessions)
          .set({ messageCount: sql`${sessions.messageCount} + ${rows.length}` })
          .where(eq(sessions.id, sessionId)),
      ]);
      return rows.length;
    });
    if (restored === 0) throw new CodaError('not_found', 'Nothing to restore: the message was not deleted then, or it is back already.');
    await this.switchTo(sessionId, messageId);
  }

  private async latestRootLeaf(sessionId: string, without: string): Promise<string | null> {
    const roots = await this.store.db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.sessionId, sessionId), isNull(messages.parentId), isNull(messages.deletedAt), sql`${messages.id} != ${without}`))
      .orderBy(sql`${messages.createdAt} DESC`)
      .limit(1)
      .all();
    return roots[0] ? ((await this.latestLeafUnder(roots[0].id)) ?? roots[0].id) : null;
  }

  private async live(sessionId: string, messageId: string): Promise<{ id: string; parentId: string | null }> {
    const row = await this.store.db
      .select({ id: messages.id, parentId: messages.parentId })
      .from(messages)
      .where(and(eq(messages.id, messageId), eq(messages.sessionId, sessionId), isNull(messages.deletedAt)))
      .get();
    if (!row) throw new CodaError('not_found', `No message ${messageId} in this chat.`);
    return row;
  }
}
