import { eq, inArray, sql } from 'drizzle-orm';
import {
  CodaError,
  Feedback,
  MessageOrigin,
  type CodaErrorShape,
  type ContentPart,
  type Message,
  type MessageStatus,
  type MessageUsage,
  type RouteStep,
  type SearchFilters,
  type SearchHit,
} from '../../../../shared/index.js';
import { hlcWallTime } from '../../util/hlc.js';
import { attachments, messages } from '../schema.js';
import type { AttachmentRow } from './attachments.js';
import type { Store } from '../store.js';
import { advanceLeafStatement } from './sessions.js';
import { searchMessages } from './message-search.js';
import { newMessageRow, type MessageRow } from './message-row.js';

export interface NewAssistantMessage {
  provider: string;
  model: string;
  estimatedInputTokens: number | null;
  traceId: string | null;
}

export interface FinishedAnswer {
  status: Exclude<MessageStatus, 'streaming'>;
  /** The provider and model that answered (or failed last), which differ from the planned ones after a fallback. */
  provider: string;
  model: string;
  route: RouteStep[];
  estimatedInputTokens: number | null;
  text: string;
  reasoning: string;
  usage: MessageUsage | null;
  costUsd: number | null;
  providerResponseId: string | null;
  firstTokenAt: number | null;
  error: CodaErrorShape | null;
  /** The trace the answer was made in (its spans), when traced; left as it was when absent. */
  traceId?: string | null;
}

export class MessagesRepository {
  constructor(private readonly store: Store) {}

  async find(id: string): Promise<Message | null> {
    const row = await this.store.db.select().from(messages).where(eq(messages.id, id)).get();
    return row ? toMessage(row) : null;
  }

  async require(id: string): Promise<Message> {
    const message = await this.find(id);
    if (!message) throw new CodaError('not_found', `No message with id ${id}.`);
    return message;
  }

  /** Adds a user message and the assistant answer that starts streaming under it, and moves the session's leaf, atomically. */
  async addExchange(
    sessionId: string,
    parent: Message | null,
    userText: string,
    assistant: NewAssistantMessage,
    attached: AttachmentRow[] = [],
  ): Promise<{ user: Message; assistant: Message }> {
    const now = Date.now();
    const userRow = this.row(sessionId, parent, 'user', userText, now, { status: 'complete', finishedAt: now });
    userRow.content = [...(userRow.content as ContentPart[]), ...attached.map((a) => ({ type: 'attachment' as const, attachmentId: a.id! }))];
    const assistantRow = this.assistantRow(sessionId, userRow, assistant, now);
    await this.store.write((db) =>
      db.batch([
        db.insert(messages).values(userRow),
        ...attached.map((a) => db.insert(attachments).values({ ...a, messageId: userRow.id })),
        db.insert(messages).values(assistantRow),
        advanceLeafStatement(this.store, sessionId, assistantRow.id, 2),
      ]),
    );
    return { user: toMessage(userRow), assistant: toMessage(assistantRow) };
  }

  /** Adds another answer to an existing user message: a new sibling branch, the earlier answers untouched. */
  async addAnswer(sessionId: string, parent: Message, assistant: NewAssistantMessage): Promise<Message> {
    const row = this.assistantRow(sessionId, { id: parent.id, depth: parent.depth }, assistant, Date.now());
    await this.store.write((db) => db.batch([db.insert(messages).values(row), advanceLeafStatement(this.store, sessionId, row.id, 1)]));
    return toMessage(row);
  }

  /** Saves what has streamed so far; only a message still streaming can change. */
  async saveProgress(id: string, text: string, reasoning: string, firstTokenAt: number | null): Promise<void> {
    await this.store.write((db) =>
      db
        .update(messages)
        .set({ content: contentParts(text, reasoning), text, reasoning: reasoning || null, firstTokenAt, updatedAt: this.store.clock.now() })
        .where(sql`${messages.id} = ${id} AND ${messages.status} = 'streaming'`),
    );
  }

  /** Moves a streaming message to its final status, once. */
  async finish(id: string, answer: FinishedAnswer): Promise<Message> {
    const row = await this.store.write((db) =>
      db
        .update(messages)
        .set({
          status: answer.status,
          provider: answer.provider,
          model: answer.model,
          route: answer.route.length > 0 ? answer.route : null,
          estimatedInputTokens: answer.estimatedInputTokens,
          content: contentParts(answer.text, answer.reasoning),
          text: answer.text,
          reasoning: answer.reasoning || null,
          inputTokens: answer.usage?.inputTokens ?? null,
          outputTokens: answer.usage?.outputTokens ?? null,
          cachedInputTokens: answer.usage?.cachedInputTokens ?? null,
          cacheWriteTokens: answer.usage?.cacheWriteTokens ?? null,
          reasoningTokens: answer.usage?.reasoningTokens ?? null,
          usageSource: answer.usage?.source ?? null,
          costUsd: answer.costUsd,
          providerResponseId: answer.providerResponseId,
          firstTokenAt: answer.firstTokenAt,
          finishedAt: Date.now(),
          error: answer.error,
          ...(answer.traceId ? { traceId: answer.traceId } : {}),
          updatedAt: this.store.clock.now(),
        })
        .where(sql`${messages.id} = ${id} AND ${messages.status} = 'streaming'`)
        .returning()
        .get(),
    );
    return row ? toMessage(row) : this.require(id);
  }

  /** Totals of every answer in a session, branches included: billed, plus estimates where the provider sent no counts. */
  async totals(sessionId: string) {
    const row = await this.store.db.get<{
      answers: number;
      estimated: number | null;
      input: number | null;
      output: number | null;
      cached: number | null;
      reasoning: number | null;
      cost: number | null;
      unpriced: number | null;
    }>(sql`
      SELECT count(*) AS answers, sum(input_tokens) AS input, sum(output_tokens) AS output, sum(cached_input_tokens) AS cached,
             sum(reasoning_tokens) AS reasoning, sum(cost_usd) AS cost,
             sum(CASE WHEN input_tokens IS NOT NULL AND cost_usd IS NULL THEN 1 ELSE 0 END) AS unpriced,
             sum(CASE WHEN usage_source = 'estimate' THEN 1 ELSE 0 END) AS estimated
      FROM messages WHERE session_id = ${sessionId} AND role = 'assistant' AND deleted_at IS NULL`);
    return {
      answers: row?.answers ?? 0,
      estimatedAnswers: row?.estimated ?? 0,
      inputTokens: row?.input ?? 0,
      outputTokens: row?.output ?? 0,
      cachedInputTokens: row?.cached ?? 0,
      reasoningTokens: row?.reasoning ?? 0,
      costUsd: row?.cost ?? 0,
      unpricedAnswers: row?.unpriced ?? 0,
    };
  }

  /** Messages left streaming by a crash or a kill become interrupted, keeping what was saved. */
  async interruptAbandoned(): Promise<number> {
    const rows = await this.store.write((db) =>
      db
        .update(messages)
        .set({ status: 'interrupted', finishedAt: Date.now(), updatedAt: this.store.clock.now() })
        .where(eq(messages.status, 'streaming'))
        .returning({ id: messages.id }),
    );
    return rows.length;
  }

  /** The last `limit` messages on the path from the root to `leafId`, oldest first, and the path's full length. */
  async path(leafId: string, limit: number): Promise<{ messages: Message[]; total: number }> {
    const leaf = await this.store.db.select({ depth: messages.depth }).from(messages).where(eq(messages.id, leafId)).get();
    if (!leaf) return { messages: [], total: 0 };
    const ids = await this.store.db.all<{ id: string }>(sql`
      WITH RECURSIVE path(id, parent_id, n) AS (
        SELECT id, parent_id, 1 FROM messages WHERE id = ${leafId}
        UNION ALL
        SELECT m.id, m.parent_id, p.n + 1 FROM messages m JOIN path p ON m.id = p.parent_id WHERE p.n < ${limit}
      )
      SELECT id FROM path`);
    if (ids.length === 0) return { messages: [], total: 0 };
    const rows = await this.store.db
      .select()
      .from(messages)
      .where(
        inArray(
          messages.id,
          ids.map((r) => r.id),
        ),
      )
      .orderBy(messages.depth)
      .all();
    return { messages: rows.map(toMessage), total: leaf.depth + 1 };
  }

  /**
   * The conversation ending at `leafId` as the model sees it (role, status, text), oldest first, in one query:
   * opening a long chat before every answer must not parse each message's full row.
   */
  async historyTurns(leafId: string, limit: number): Promise<{ id: string; role: Message['role']; status: MessageStatus; text: string }[]> {
    // Attached files go to the model with their message; the join finds them in the same pass (most have none).
    const rows = await this.store.db.all<{
      id: string;
      role: Message['role'];
      status: MessageStatus;
      text: string;
      file: string | null;
      fileText: string | null;
    }>(sql`
      WITH RECURSIVE path(id, parent_id, n) AS (
        SELECT id, parent_id, 1 FROM messages WHERE id = ${leafId}
        UNION ALL
        SELECT m.id, m.parent_id, p.n + 1 FROM messages m JOIN path p ON m.id = p.parent_id WHERE p.n < ${limit}
      )
      SELECT m.id, m.role, m.status, m.text, a.name AS file, a.extracted_text AS fileText
      FROM path JOIN messages m ON m.id = path.id
      LEFT JOIN attachments a ON a.message_id = m.id AND a.deleted_at IS NULL
      ORDER BY path.n DESC`);
    const turns: { id: string; role: Message['role']; status: MessageStatus; text: string }[] = [];
    for (const row of rows) {
      const last = turns.at(-1);
      const turn = last?.id === row.id ? last : { id: row.id, role: row.role, status: row.status, text: row.text };
      if (turn !== last) turns.push(turn);
      if (row.file !== null) turn.text += `\n\n[Attached: ${row.file}]\n${row.fileText ?? ''}`;
    }
    return turns;
  }

  /** Full-text search over all history, best match first (see message-search.ts). */
  search(query: string, limit: number, filters: SearchFilters = {}): Promise<SearchHit[]> {
    return searchMessages(this.store, query, limit, filters);
  }

  private assistantRow(sessionId: string, parent: Pick<Message, 'id' | 'depth'>, a: NewAssistantMessage, now: number): MessageRow {
    return this.row(sessionId, parent, 'assistant', '', now, {
      status: 'streaming',
      provider: a.provider,
      model: a.model,
      estimatedInputTokens: a.estimatedInputTokens,
      traceId: a.traceId,
      startedAt: now,
    });
  }

  private row(
    sessionId: string,
    parent: Pick<Message, 'id' | 'depth'> | null,
    role: Message['role'],
    text: string,
    now: number,
    extra: Partial<MessageRow> & { status: MessageStatus },
  ): MessageRow {
    return newMessageRow(sessionId, parent, { createdAt: now, updatedAt: this.store.clock.now() }, { role, content: contentParts(text, ''), text, ...extra });
  }
}

function contentParts(text: string, reasoning: string): ContentPart[] {
  const parts: ContentPart[] = [];
  if (reasoning) parts.push({ type: 'reasoning', text: reasoning });
  parts.push({ type: 'text', text });
  return parts;
}

export function toMessage(row: MessageRow): Message {
  const hasUsage = row.inputTokens !== null || row.outputTokens !== null;
  return {
    id: row.id,
    sessionId: row.sessionId,
    parentId: row.parentId,
    depth: row.depth,
    role: row.role,
    content: row.content as ContentPart[],
    provider: row.provider,
    model: row.model,
    status: row.status,
    usage: hasUsage
      ? {
          inputTokens: row.inputTokens ?? 0,
          outputTokens: row.outputTokens ?? 0,
          cachedInputTokens: row.cachedInputTokens ?? 0,
          cacheWriteTokens: row.cacheWriteTokens ?? 0,
          reasoningTokens: row.reasoningTokens ?? 0,
          source: row.usageSource ?? 'provider',
        }
      : null,
    estimatedInputTokens: row.estimatedInputTokens,
    route: (row.route as RouteStep[] | null) ?? [],
    costUsd: row.costUsd,
    providerResponseId: row.providerResponseId,
    timing: { startedAt: row.startedAt, firstTokenAt: row.firstTokenAt, finishedAt: row.finishedAt },
    error: (row.error as CodaErrorShape | null) ?? null,
    feedback: feedbackOf(row.feedback),
    traceId: row.traceId,
    pinned: row.pinnedAt !== null,
    origin: originOf(row.origin),
    createdAt: row.createdAt,
    updatedAt: hlcWallTime(row.updatedAt),
  };
}

/** The feedback column is JSON only core writes (FeedbackRepository); anything not of today's shape reads as no feedback. */
export function feedbackOf(data: unknown): Feedback | null {
  const parsed = Feedback.safeParse(data);
  return parsed.success ? parsed.data : null;
}

/** The origin column is JSON only core writes (messages.merge); anything not of today's shape reads as none. */
export function originOf(data: unknown): MessageOrigin | null {
  const parsed = MessageOrigin.safeParse(data);
  return parsed.success ? parsed.data : null;
}
