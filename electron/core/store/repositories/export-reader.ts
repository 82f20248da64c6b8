import { asc, eq, inArray, isNull } from 'drizzle-orm';
import {
  CodaError,
  type CodaErrorShape,
  type ContentPart,
  type ExportedAttachment,
  type ExportedChat,
  type ExportedMessage,
  type ExportedStep,
  type ExportedSummary,
  type ExportedToolCall,
  type RouteStep,
  SessionSettings,
} from '../../../../shared/index.js';
import { agentSteps, attachments, messages, sessions, summaries, toolCalls } from '../schema.js';
import type { Store } from '../store.js';
import { DEFAULT_SETTINGS } from '../../settings/default-settings.js';
import { feedbackOf, originOf } from './messages.js';
import { AnswerRecall, ContextBreakdown, RequestOverhead, SummaryFact, SummaryQuality, ToolCallEvaluation } from '../../../../shared/index.js';

/**
 * Reads chats whole, row for row, for the export (electron/core/export): every message of the tree, deleted ones and
 * their steps, tool calls, attachments and summaries included. One chat at a time, so an export of everything never
 * holds more than one chat in memory.
 */
export class ExportReader {
  constructor(private readonly store: Store) {}

  /** Ids of the chats "export all" covers: every chat not in the trash, oldest first. */
  async liveChatIds(): Promise<string[]> {
    const rows = await this.store.db
      .select({ id: sessions.id })
      .from(sessions)
      .where(isNull(sessions.deletedAt))
      .orderBy(asc(sessions.createdAt), asc(sessions.id))
      .all();
    return rows.map((r) => r.id);
  }

  async chat(sessionId: string): Promise<ExportedChat> {
    const db = this.store.db;
    const row = await db.select().from(sessions).where(eq(sessions.id, sessionId)).get();
    if (!row) throw new CodaError('not_found', `No chat with id ${sessionId}.`);
    const [messageRows, attachmentRows, summaryRows] = await Promise.all([
      db.select().from(messages).where(eq(messages.sessionId, sessionId)).orderBy(asc(messages.depth), asc(messages.id)).all(),
      db.select().from(attachments).where(eq(attachments.sessionId, sessionId)).orderBy(asc(attachments.id)).all(),
      db.select().from(summaries).where(eq(summaries.sessionId, sessionId)).orderBy(asc(summaries.toDepth), asc(summaries.id)).all(),
    ]);
    const ids = messageRows.map((m) => m.id);
    const [stepRows, callRows] =
      ids.length === 0
        ? [[], []]
        : await Promise.all([
            db.select().from(agentSteps).where(inArray(agentSteps.messageId, ids)).orderBy(asc(agentSteps.messageId), asc(agentSteps.ordinal)).all(),
            db.select().from(toolCalls).where(inArray(toolCalls.messageId, ids)).orderBy(asc(toolCalls.messageId), asc(toolCalls.ordinal)).all(),
          ]);
    const stepsOf = groupBy(stepRows.map((s) => [s.messageId, toStep(s)] as const));
    const callsOf = groupBy(callRows.map((c) => [c.messageId, toCall(c)] as const));
    return {
      id: row.id,
      title: row.title,
      titleSource: row.titleSource,
      settings: exportedSettings(row.settings),
      contextSummary: row.contextSummary,
      activeLeafId: row.activeLeafId,
      messageCount: row.messageCount,
      lastActivityAt: row.lastActivityAt,
      pinnedAt: row.pinnedAt,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      deletedAt: row.deletedAt,
      messages: messageRows.map((m) => toMessage(m, stepsOf.get(m.id) ?? [], callsOf.get(m.id) ?? [])),
      attachments: attachmentRows.map(toAttachment),
      summaries: summaryRows.map(toSummary),
    };
  }
}

function groupBy<T>(pairs: (readonly [string, T])[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const [key, value] of pairs) {
    const list = groups.get(key);
    if (list) list.push(value);
    else groups.set(key, [value]);
  }
  return groups;
}

function sync(row: { createdAt: number; updatedAt: string; deletedAt: number | null }) {
  return { createdAt: row.createdAt, updatedAt: row.updatedAt, deletedAt: row.deletedAt };
}

/** JSON columns only core writes; what does not parse as today's shape is exported as null (as the app reads it). */
function parsed<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, value: unknown): T | null {
  const result = schema.safeParse(value);
  return result.success ? result.data : null;
}

/**
 * The chat's settings as the export schema wants them: a stored field that does not parse (a null prompt, a setting
 * added since the row was written, a value out of today's range) is exported as a new chat's default, field by field,
 * so the importer accepts every file the export writes and the other settings survive.
 */
function exportedSettings(stored: unknown): SessionSettings {
  const raw = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const fields = Object.entries(SessionSettings.shape).map(([key, schema]) => {
    const result = schema.safeParse(raw[key]);
    return [key, result.success ? result.data : DEFAULT_SETTINGS[key as keyof SessionSettings]] as const;
  });
  return Object.fromEntries(fields) as SessionSettings;
}

function toMessage(row: typeof messages.$inferSelect, steps: ExportedStep[], calls: ExportedToolCall[]): ExportedMessage {
  return {
    id: row.id,
    parentId: row.parentId,
    depth: row.depth,
    role: row.role,
    content: row.content as ContentPart[],
    text: row.text,
    reasoning: row.reasoning,
    provider: row.provider,
    model: row.model,
    status: row.status,
    usage: {
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
      cachedInputTokens: row.cachedInputTokens,
      cacheWriteTokens: row.cacheWriteTokens,
      reasoningTokens: row.reasoningTokens,
      source: row.usageSource,
    },
    estimatedInputTokens: row.estimatedInputTokens,
    costUsd: row.costUsd,
    providerResponseId: row.providerResponseId,
    timing: { startedAt: row.startedAt, firstTokenAt: row.firstTokenAt, finishedAt: row.finishedAt },
    route: (row.route as RouteStep[] | null) ?? [],
    error: (row.error as CodaErrorShape | null) ?? null,
    feedback: feedbackOf(row.feedback),
    traceId: row.traceId,
    pinnedAt: row.pinnedAt,
    origin: originOf(row.origin),
    steps,
    toolCalls: calls,
    ...sync(row),
  };
}

function toStep(row: typeof agentSteps.$inferSelect): ExportedStep {
  const data = (row.data && typeof row.data === 'object' ? row.data : {}) as Record<string, unknown>;
  return {
    id: row.id,
    ordinal: row.ordinal,
    kind: row.kind,
    content: row.content,
    reasoning: typeof data.reasoning === 'string' ? data.reasoning : null,
    replay: Array.isArray(data.replay) ? (data.replay as unknown[]) : [],
    overhead: parsed(RequestOverhead, data.overhead),
    context: parsed(ContextBreakdown, data.context),
    recall: parsed(AnswerRecall, data.recall),
    spanId: row.spanId,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    ...sync(row),
  };
}

function toCall(row: typeof toolCalls.$inferSelect): ExportedToolCall {
  return {
    id: row.id,
    stepId: row.stepId,
    ordinal: row.ordinal,
    server: row.server,
    tool: row.tool,
    providerCallId: row.providerCallId,
    input: row.input ?? null,
    output: row.output ?? null,
    status: row.status,
    error: row.error,
    evaluation: parsed(ToolCallEvaluation, row.evaluation),
    spanId: row.spanId,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    ...sync(row),
  };
}

function toAttachment(row: typeof attachments.$inferSelect): ExportedAttachment {
  return {
    id: row.id,
    messageId: row.messageId,
    hash: row.hash,
    name: row.name,
    mimeType: row.mimeType,
    size: row.size,
    extractedText: row.extractedText,
    ...sync(row),
  };
}

function toSummary(row: typeof summaries.$inferSelect): ExportedSummary {
  const quality = (row.quality ?? {}) as { facts?: unknown; lost?: unknown; coverage?: unknown };
  const facts = parsed(SummaryFact.array(), quality.facts) ?? [];
  return {
    id: row.id,
    fromMessageId: row.fromMessageId,
    toMessageId: row.toMessageId,
    toDepth: row.toDepth,
    messageCount: row.messageCount,
    previousId: row.previousId,
    text: row.text,
    provider: row.provider,
    model: row.model,
    trigger: row.trigger,
    facts,
    quality: parsed(SummaryQuality, { checked: facts.length, lost: quality.lost, coverage: quality.coverage }) ?? {
      checked: facts.length,
      lost: [],
      coverage: row.coverage,
    },
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costUsd: row.costUsd,
    editedAt: row.editedAt,
    ...sync(row),
  };
}
