import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { CodaError, type Message } from '../../../../shared/index.js';
import { messages } from '../schema.js';
import type { Store } from '../store.js';
import { toMessage } from './messages.js';

/** A pinned message as a request needs it. */
export interface PinnedTurn {
  id: string;
  role: Message['role'];
  text: string;
}

/** Messages the user pinned: always sent with later requests of their branch. */
export class PinsRepository {
  constructor(private readonly store: Store) {}

  /** Pins or unpins a message; returns it as it now is. */
  async setPinned(messageId: string, pinned: boolean): Promise<Message> {
    const current = await this.store.db.select({ status: messages.status }).from(messages).where(eq(messages.id, messageId)).get();
    if (current?.status === 'streaming' && pinned) throw new CodaError('conflict', 'This answer is still streaming: pin it once it has finished.');
    const row = await this.store.write((db) =>
      db
        .update(messages)
        .set({ pinnedAt: pinned ? Date.now() : null, updatedAt: this.store.clock.now() })
        .where(and(eq(messages.id, messageId), isNull(messages.deletedAt)))
        .returning()
        .get(),
    );
    if (!row) throw new CodaError('not_found', `No message ${messageId}: it may have been deleted.`);
    return toMessage(row);
  }

  /**
   * The pinned messages on the path ending at `leafId`, oldest first. `known` holds the ids of the path already read
   * (the recent window): a chat without pins costs one look into an empty index, and pins within the window need no
   * walk up the tree.
   */
  async onPath(sessionId: string, leafId: string, known: ReadonlySet<string>): Promise<PinnedTurn[]> {
    const pinned = await this.store.db
      .select({ id: messages.id, role: messages.role, text: messages.text, depth: messages.depth })
      .from(messages)
      .where(and(eq(messages.sessionId, sessionId), isNotNull(messages.pinnedAt), isNull(messages.deletedAt)))
      .all();
    if (pinned.length === 0) return [];
    const inWindow = pinned.filter((p) => known.has(p.id));
    let older: typeof pinned = [];
    if (inWindow.length < pinned.length) {
      const ancestors = await this.store.db.all<{ id: string }>(sql`
        WITH RECURSIVE path(id, parent_id) AS (
          SELECT id, parent_id FROM messages WHERE id = ${leafId}
          UNION ALL
          SELECT m.id, m.parent_id FROM messages m JOIN path p ON m.id = p.parent_id
        )
        SELECT path.id FROM path JOIN messages m ON m.id = path.id WHERE m.pinned_at IS NOT NULL`);
      const onPath = new Set(ancestors.map((a) => a.id));
      older = pinned.filter((p) => !known.has(p.id) && onPath.has(p.id));
    }
    return [...older, ...inWindow].sort((a, b) => a.depth - b.depth).map(({ id, role, text }) => ({ id, role, text }));
  }
}
