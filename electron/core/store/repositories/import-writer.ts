import { eq, inArray } from 'drizzle-orm';
import type { ExportedChat, ExportedMessage, ExportedStep, ExportedSummary, ExportedToolCall } from '../../../../shared/index.js';
import { agentSteps, attachments, messages, sessions, summaries, toolCalls } from '../schema.js';
import type { Store } from '../store.js';

/** Rows per multi-row insert: well under SQLite's limit of bound variables for the widest table (messages). */
const CHUNK = 100;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/** Which of a chat's ids the store already holds: the chat's own, and any of the rows inside it. */
export interface IdClash {
  chatExists: boolean;
  /** Ids of rows in the file (messages, steps, tool calls, attachments, summaries) the chat of the same id holds. */
  ownRowIds: string[];
  /** Ids of rows in the file that another chat holds: never overwritten. */
  foreignRowIds: string[];
}

/**
 * Writes imported chats (electron/core/import): each chat, row for row as exported, in one transaction through the
 * store's single writer, so a chat is imported whole or not at all.
 */
export class ImportWriter {
  constructor(private readonly store: Store) {}

  async clash(chat: ExportedChat): Promise<IdClash> {
    const db = this.store.db;
    const chatExists = (await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.id, chat.id)).get()) !== undefined;
    const owners: { id: string; sessionId: string }[] = [];
    const direct = [
      [messages, chat.messages.map((m) => m.id)],
      [attachments, chat.attachments.map((a) => a.id)],
      [summaries, chat.summaries.map((s) => s.id)],
    ] as const;
    for (const [table, ids] of direct) {
      for (const part of chunks(ids))
        owners.push(...(await db.select({ id: table.id, sessionId: table.sessionId }).from(table).where(inArray(table.id, part)).all()));
    }
    // Steps and tool calls belong to a chat through their message.
    const underMessages = [
      [agentSteps, chat.messages.flatMap((m) => m.steps.map((s) => s.id))],
      [toolCalls, chat.messages.flatMap((m) => m.toolCalls.map((c) => c.id))],
    ] as const;
    for (const [table, ids] of underMessages) {
      for (const part of chunks(ids)) {
        owners.push(
          ...(await db
            .select({ id: table.id, sessionId: messages.sessionId })
            .from(table)
            .innerJoin(messages, eq(messages.id, table.messageId))
            .where(inArray(table.id, part))
            .all()),
        );
      }
    }
    return {
      chatExists,
      ownRowIds: owners.filter((o) => o.sessionId === chat.id).map((o) => o.id),
      foreignRowIds: owners.filter((o) => o.sessionId !== chat.id).map((o) => o.id),
    };
  }

  /** Inserts the chat and everything in it; with `replace`, first deletes the chat of the same id (and, by cascade, its rows). */
  async write(chat: ExportedChat, replace: boolean): Promise<void> {
    const db = this.store.db;
    const statements = [];
    if (replace) statements.push(db.delete(sessions).where(eq(sessions.id, chat.id)));
    statements.push(
      db.insert(sessions).values({
        id: chat.id,
        title: chat.title,
        titleSource: chat.titleSource,
        settings: chat.settings,
        contextSummary: chat.contextSummary,
        activeLeafId: chat.activeLeafId,
        messageCount: chat.messageCount,
        lastActivityAt: chat.lastActivityAt,
        pinnedAt: chat.pinnedAt,
        ...sync(chat),
      }),
    );
    for (const part of chunks(chat.messages)) statements.push(db.insert(messages).values(part.map((m) => messageRow(chat.id, m))));
    const steps = chat.messages.flatMap((m) => m.steps.map((s) => stepRow(m.id, s)));
    for (const part of chunks(steps)) statements.push(db.insert(agentSteps).values(part));
    const calls = chat.messages.flatMap((m) => m.toolCalls.map((c) => callRow(m.id, c)));
    for (const part of chunks(calls)) statements.push(db.insert(toolCalls).values(part));
    for (const part of chunks(chat.attachments)) {
      statements.push(db.insert(attachments).values(part.map((a) => ({ ...a, sessionId: chat.id }))));
    }
    for (const part of chunks(chat.summaries)) statements.push(db.insert(summaries).values(part.map((s) => summaryRow(chat.id, s))));
    const [first, ...rest] = statements;
    await this.store.write((w) => w.batch([first!, ...rest]));
  }
}

function sync(row: { createdAt: number; updatedAt: string; deletedAt: number | null }) {
  return { createdAt: row.createdAt, updatedAt: row.updatedAt, deletedAt: row.deletedAt };
}

function messageRow(sessionId: string, m: ExportedMessage): typeof messages.$inferInsert {
  return {
    id: m.id,
    sessionId,
    parentId: m.parentId,
    depth: m.depth,
    role: m.role,
    content: m.content,
    text: m.text,
    reasoning: m.reasoning,
    provider: m.provider,
    model: m.model,
    status: m.status,
    inputTokens: m.usage.inputTokens,
    outputTokens: m.usage.outputTokens,
    cachedInputTokens: m.usage.cachedInputTokens,
    cacheWriteTokens: m.usage.cacheWriteTokens,
    reasoningTokens: m.usage.reasoningTokens,
    usageSource: m.usage.source,
    estimatedInputTokens: m.estimatedInputTokens,
    costUsd: m.costUsd,
    providerResponseId: m.providerResponseId,
    startedAt: m.timing.startedAt,
    firstTokenAt: m.timing.firstTokenAt,
    finishedAt: m.timing.finishedAt,
    route: m.route,
    error: m.error,
    feedback: m.feedback,
    traceId: m.traceId,
    pinnedAt: m.pinnedAt,
    origin: m.origin,
    ...sync(m),
  };
}

function stepRow(messageId: string, s: ExportedStep): typeof agentSteps.$inferInsert {
  // The same shape AgentRepository.addStep stores (null when the step has none of it).
  const empty = s.reasoning === null && s.replay.length === 0 && s.overhead === null && s.context === null && s.recall === null;
  return {
    id: s.id,
    messageId,
    ordinal: s.ordinal,
    kind: s.kind,
    content: s.content,
    data: empty ? null : { reasoning: s.reasoning, replay: s.replay, overhead: s.overhead, context: s.context, recall: s.recall },
    spanId: s.spanId,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    ...sync(s),
  };
}

function callRow(messageId: string, c: ExportedToolCall): typeof toolCalls.$inferInsert {
  return {
    id: c.id,
    messageId,
    stepId: c.stepId,
    ordinal: c.ordinal,
    server: c.server,
    tool: c.tool,
    providerCallId: c.providerCallId,
    input: c.input ?? null,
    output: c.output ?? null,
    status: c.status,
    error: c.error,
    evaluation: c.evaluation,
    spanId: c.spanId,
    startedAt: c.startedAt,
    finishedAt: c.finishedAt,
    ...sync(c),
  };
}

function summaryRow(sessionId: string, s: ExportedSummary): typeof summaries.$inferInsert {
  return {
    id: s.id,
    sessionId,
    fromMessageId: s.fromMessageId,
    toMessageId: s.toMessageId,
    toDepth: s.toDepth,
    messageCount: s.messageCount,
    previousId: s.previousId,
    text: s.text,
    provider: s.provider,
    model: s.model,
    trigger: s.trigger,
    // The shape SummariesRepository stores: every fact of the range, those lost, the coverage.
    quality: { facts: s.facts, lost: s.quality.lost, coverage: s.quality.coverage },
    coverage: s.quality.coverage,
    inputTokens: s.inputTokens,
    outputTokens: s.outputTokens,
    costUsd: s.costUsd,
    editedAt: s.editedAt,
    ...sync(s),
  };
}
