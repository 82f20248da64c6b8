import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { CodaError, type CodaErrorShape, type ContentPart, type MessageOrigin, type MessageUsage } from '../../../../shared/index.js';
import { messages, sessions } from '../schema.js';
import type { Store } from '../store.js';
import { advanceLeafStatement } from './sessions.js';
import { newMessageRow, type MessageRow } from './message-row.js';

/** A selected message of the source branch, as a merge copies or summarizes it. */
export interface MergeSource {
  id: string;
  depth: number;
  role: MessageRow['role'];
  status: MessageRow['status'];
  content: ContentPart[];
  text: string;
  reasoning: string | null;
  provider: string | null;
  model: string | null;
  error: CodaErrorShape | null;
}

/** Where merged messages go: after this message of the target chat (null: as the chat's first messages). */
export type MergeParent = { id: string; depth: number } | null;

/** The summary a merge writes as one answer, with the summarizer's usage and cost. */
export interface MergedSummary {
  text: string;
  provider: string;
  model: string;
  usage: MessageUsage | null;
  costUsd: number | null;
  startedAt: number;
}

/**
 * Reads and checks what `messages.merge` brings over, and writes the merged messages: each merge in one batch (one
 * transaction) with the target chat's new active leaf, so a merge is all there or not at all.
 */
export class MergeRepository {
  constructor(private readonly store: Store) {}

  /** The source chat's title (recorded in each origin). */
  async chatTitle(sessionId: string): Promise<string> {
    const row = await this.store.db
      .select({ title: sessions.title })
      .from(sessions)
      .where(and(eq(sessions.id, sessionId), isNull(sessions.deletedAt)))
      .get();
    if (!row) throw new CodaError('not_found', `No chat with id ${sessionId}.`);
    return row.title;
  }

  /**
   * The selected messages in path order, refused unless every one is a live, finished message of the source chat and
   * all of them lie on one path (each is an ancestor of the deepest; gaps are allowed, as unticked messages).
   */
  async selection(sourceSessionId: string, ids: readonly string[]): Promise<MergeSource[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) throw new CodaError('validation', 'Select at least one message to merge.');
    const rows = await this.store.db
      .select()
      .from(messages)
      .where(and(inArray(messages.id, unique), eq(messages.sessionId, sourceSessionId)))
      .all();
    const missing = unique.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length > 0) throw new CodaError('not_found', `Message ${missing[0]} is not in the chat being merged from.`);
    const deleted = rows.find((r) => r.deletedAt !== null);
    if (deleted) throw new CodaError('validation', `Message ${deleted.id} is deleted; restore it before merging it.`);
    if (rows.some((r) => r.status === 'streaming')) throw new CodaError('conflict', 'An answer among the selected messages is still streaming; stop it first.');
    rows.sort((a, b) => a.depth - b.depth);
    const deepest = rows.at(-1)!;
    const ancestors = await this.store.db.all<{ id: string }>(sql`
      WITH RECURSIVE up(id, parent_id) AS (
        SELECT id, parent_id FROM messages WHERE id = ${deepest.id}
        UNION ALL
        SELECT m.id, m.parent_id FROM messages m JOIN up ON m.id = up.parent_id
      )
      SELECT id FROM up`);
    const onPath = new Set(ancestors.map((a) => a.id));
    const off = rows.find((r) => !onPath.has(r.id));
    if (off) throw new CodaError('validation', 'The selected messages are not on one branch: select messages of one path from the first message to the last.');
    return rows.map((r) => ({
      id: r.id,
      depth: r.depth,
      role: r.role,
      status: r.status,
      content: r.content as ContentPart[],
      text: r.text,
      reasoning: r.reasoning,
      provider: r.provider,
      model: r.model,
      error: (r.error as CodaErrorShape | null) ?? null,
    }));
  }

  /** The message merged messages follow: `parentId` (which must be a live message of the target chat), else the target's active leaf. */
  async parent(targetSessionId: string, parentId: string | undefined): Promise<MergeParent> {
    const db = this.store.db;
    const session = await db
      .select({ leaf: sessions.activeLeafId })
      .from(sessions)
      .where(and(eq(sessions.id, targetSessionId), isNull(sessions.deletedAt)))
      .get();
    if (!session) throw new CodaError('not_found', `No chat with id ${targetSessionId} to merge into.`);
    const id = parentId ?? session.leaf;
    if (id === null) return null;
    const row = await db
      .select({ id: messages.id, depth: messages.depth, sessionId: messages.sessionId, status: messages.status, deletedAt: messages.deletedAt })
      .from(messages)
      .where(eq(messages.id, id))
      .get();
    if (!row || row.sessionId !== targetSessionId) throw new CodaError('validation', `Message ${id} is not in the chat being merged into.`);
    if (row.deletedAt !== null) throw new CodaError('validation', `Message ${id} of the target chat is deleted; merge after a live message.`);
    if (row.status === 'streaming') throw new CodaError('conflict', 'The target answer is still streaming; merge once it has finished.');
    return { id: row.id, depth: row.depth };
  }

  /**
   * Copies the messages as a chain under `parent` (new ids; role, text, reasoning, model and status as they were; no
   * usage, cost, steps, tool calls or attachments, which stay with the source), each with its origin. Returns the ids.
   */
  async writeCopies(
    targetSessionId: string,
    parent: MergeParent,
    sources: readonly MergeSource[],
    origin: Omit<Extract<MessageOrigin, { kind: 'copied' }>, 'messageId'>,
  ): Promise<string[]> {
    const now = origin.mergedAt;
    let above = parent;
    const rows = sources.map((source, i) => {
      const row = this.row(targetSessionId, above, now + i, {
        role: source.role,
        status: source.status,
        // Tool-call and attachment parts point at rows of the source message: only the words are copied.
        content: source.content.filter((p) => p.type === 'text' || p.type === 'reasoning'),
        text: source.text,
        reasoning: source.reasoning,
        provider: source.provider,
        model: source.model,
        error: source.error,
        origin: { ...origin, messageId: source.id },
      });
      above = { id: row.id, depth: row.depth };
      return row;
    });
    await this.store.write((db) =>
      db.batch([db.insert(messages).values(rows), advanceLeafStatement(this.store, targetSessionId, rows.at(-1)!.id, rows.length)]),
    );
    return rows.map((r) => r.id);
  }

  /** Writes the summary as one answer under `parent`, with its usage and cost, and makes it the target's active leaf. */
  async writeSummary(
    targetSessionId: string,
    parent: MergeParent,
    summary: MergedSummary,
    origin: Extract<MessageOrigin, { kind: 'summary' }>,
  ): Promise<string> {
    const row = this.row(targetSessionId, parent, origin.mergedAt, {
      role: 'assistant',
      status: 'complete',
      content: [{ type: 'text', text: summary.text }],
      text: summary.text,
      provider: summary.provider,
      model: summary.model,
      inputTokens: summary.usage?.inputTokens ?? null,
      outputTokens: summary.usage?.outputTokens ?? null,
      cachedInputTokens: summary.usage?.cachedInputTokens ?? null,
      cacheWriteTokens: summary.usage?.cacheWriteTokens ?? null,
      reasoningTokens: summary.usage?.reasoningTokens ?? null,
      usageSource: summary.usage?.source ?? null,
      costUsd: summary.costUsd,
      startedAt: summary.startedAt,
      finishedAt: origin.mergedAt,
      origin,
    });
    await this.store.write((db) => db.batch([db.insert(messages).values(row), advanceLeafStatement(this.store, targetSessionId, row.id, 1)]));
    return row.id;
  }

  private row(
    sessionId: string,
    parent: MergeParent,
    createdAt: number,
    fields: Pick<MessageRow, 'role' | 'status' | 'content' | 'text' | 'origin'> & Partial<MessageRow>,
  ): MessageRow {
    return newMessageRow(sessionId, parent, { createdAt, updatedAt: this.store.clock.now() }, { finishedAt: createdAt, ...fields });
  }
}
