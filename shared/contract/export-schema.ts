import { z } from 'zod';
import { AnswerRecall } from './recalled.js';
import { CodaErrorShape } from './errors.js';
import {
  ContentPart,
  ContextBreakdown,
  Feedback,
  MessageRole,
  MessageStatus,
  RequestOverhead,
  RouteStep,
  SessionSettings,
  TitleSource,
  ToolCallStatus,
  UsageSource,
} from './domain.js';
import { Id, Timestamp } from './primitives.js';
import { MessageOrigin } from './origin.js';
import { SummaryQuality, SummaryFact } from './summary-methods.js';
import { ToolCallEvaluation } from './tool-evaluation.js';

/*
 * The export format: one JSON document of chats with everything they hold except secrets (API keys never reach the
 * database, so they cannot reach an export). It mirrors the store's rows so an import can reproduce every id, the
 * tree, and the sync columns; it is published as resources/export-schema.json (scripts/write-export-schema.ts).
 *
 * Versioning: `format` is always "coda-export"; `version` grows by one for every change an older importer could not
 * read. An importer refuses a version it does not know with a clear error rather than guessing.
 *
 * Layout on disk: {"format","version","exportedAt","app","chats":[ExportedChat, ...]}; the writer streams one chat at a
 * time, so a reader may stream the `chats` array element by element too.
 */

export const EXPORT_FORMAT = 'coda-export';
export const EXPORT_VERSION = 1;

/** The columns every syncable row carries: creation time, the hybrid-logical-clock version, and the tombstone. */
const SyncFields = {
  createdAt: Timestamp.describe('When the row was made (ms since the epoch).'),
  updatedAt: z
    .string()
    .min(1)
    .describe('Hybrid logical clock of the last change ("<15-digit wall ms>-<4 hex counter>-<device id>"); orders changes across devices.'),
  deletedAt: Timestamp.nullable().describe('Soft-delete tombstone (ms); null when live.'),
};

export const ExportedUsage = z
  .object({
    inputTokens: z.number().int().nonnegative().nullable(),
    outputTokens: z.number().int().nonnegative().nullable(),
    cachedInputTokens: z.number().int().nonnegative().nullable(),
    cacheWriteTokens: z.number().int().nonnegative().nullable(),
    reasoningTokens: z.number().int().nonnegative().nullable(),
    source: UsageSource.nullable().describe('provider: billed numbers as reported; estimate: counted locally for turns the provider never reported.'),
  })
  .describe('Token counts as stored on the message (null where none were reported).');

export const ExportedStep = z
  .object({
    id: Id,
    ordinal: z.number().int().nonnegative(),
    kind: z.enum(['reasoning', 'tool-selection', 'execution', 'observation', 'synthesis']),
    content: z.string(),
    reasoning: z.string().nullable(),
    /** Provider reasoning blocks (e.g. signed thinking) sent back on the next turn; opaque to other apps. */
    replay: z.array(z.unknown()).describe("Provider reasoning blocks replayed on later turns (opaque, the provider's format)."),
    overhead: RequestOverhead.nullable(),
    context: ContextBreakdown.nullable(),
    recall: AnswerRecall.nullable(),
    spanId: z.string().nullable(),
    startedAt: Timestamp,
    finishedAt: Timestamp.nullable(),
    ...SyncFields,
  })
  .describe('One model turn of an answer (the chain of thought), in order.');
export type ExportedStep = z.infer<typeof ExportedStep>;

export const ExportedToolCall = z
  .object({
    id: Id,
    stepId: Id.nullable().describe('The step the call was made in.'),
    ordinal: z.number().int().nonnegative(),
    server: z.string().nullable().describe('Null for a tool no server has (the name as the model wrote it).'),
    tool: z.string(),
    providerCallId: z.string().nullable(),
    input: z.unknown().describe('Arguments as the model gave them (JSON).'),
    output: z.unknown().describe('What the tool returned (JSON), null while none.'),
    status: ToolCallStatus,
    error: z.string().nullable(),
    evaluation: ToolCallEvaluation.nullable(),
    spanId: z.string().nullable(),
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
    ...SyncFields,
  })
  .describe("A tool call of an answer, in the answer's order.");
export type ExportedToolCall = z.infer<typeof ExportedToolCall>;

export const ExportedAttachment = z
  .object({
    id: Id,
    messageId: Id.nullable(),
    hash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex (64 characters 0-9, a-f)')
      .describe('SHA-256 (hex) of the bytes; the file lives once per hash in the data folder.'),
    name: z.string(),
    mimeType: z.string(),
    size: z.number().int().nonnegative(),
    extractedText: z.string().nullable(),
    ...SyncFields,
  })
  .describe('A file attached to a message: its metadata and extracted text (the bytes are not in the JSON).');
export type ExportedAttachment = z.infer<typeof ExportedAttachment>;

export const ExportedMessage = z
  .object({
    id: Id,
    parentId: Id.nullable().describe('Null for a root; siblings (same parent) are alternative branches.'),
    depth: z.number().int().nonnegative(),
    role: MessageRole,
    content: z.array(ContentPart),
    text: z.string().describe('Plain text of the content.'),
    reasoning: z.string().nullable(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    status: MessageStatus,
    usage: ExportedUsage,
    estimatedInputTokens: z.number().int().nonnegative().nullable(),
    costUsd: z.number().nonnegative().nullable(),
    providerResponseId: z.string().nullable(),
    timing: z.object({ startedAt: Timestamp.nullable(), firstTokenAt: Timestamp.nullable(), finishedAt: Timestamp.nullable() }),
    route: z.array(RouteStep).describe('Providers tried in order when a fallback was needed.'),
    error: CodaErrorShape.nullable(),
    feedback: Feedback.nullable(),
    traceId: z.string().nullable(),
    pinnedAt: Timestamp.nullable().describe('When the user pinned it to every request of its branch.'),
    // Defaults to null so files written before merging existed, and other apps' chats, parse unchanged.
    origin: MessageOrigin.nullable()
      .default(null)
      .describe('Where a merged message came from: a copy of another message, or a summary of several (ids as recorded at merge time).'),
    steps: z.array(ExportedStep),
    toolCalls: z.array(ExportedToolCall),
    ...SyncFields,
  })
  .describe('One message of the tree, with its steps and tool calls.');
export type ExportedMessage = z.infer<typeof ExportedMessage>;

export const ExportedSummary = z
  .object({
    id: Id,
    fromMessageId: Id,
    toMessageId: Id,
    toDepth: z.number().int().nonnegative(),
    messageCount: z.number().int().nonnegative(),
    previousId: Id.nullable(),
    text: z.string(),
    provider: z.string(),
    model: z.string(),
    trigger: z.enum(['auto', 'manual']),
    facts: z.array(SummaryFact),
    quality: SummaryQuality,
    inputTokens: z.number().int().nonnegative().nullable(),
    outputTokens: z.number().int().nonnegative().nullable(),
    costUsd: z.number().nonnegative().nullable(),
    editedAt: Timestamp.nullable(),
    ...SyncFields,
  })
  .describe('A summary of the path from the first message to toMessageId.');
export type ExportedSummary = z.infer<typeof ExportedSummary>;

export const ExportedChat = z
  .object({
    id: Id,
    title: z.string(),
    titleSource: TitleSource,
    settings: SessionSettings.describe('Model, prompt and parameters of the chat (no keys).'),
    contextSummary: z.string().nullable(),
    activeLeafId: Id.nullable().describe('The leaf of the branch the user sees.'),
    messageCount: z.number().int().nonnegative(),
    lastActivityAt: Timestamp,
    pinnedAt: Timestamp.nullable(),
    ...SyncFields,
    messages: z.array(ExportedMessage).describe('Every message of the tree (all branches, deleted ones included), parents before children.'),
    attachments: z.array(ExportedAttachment),
    summaries: z.array(ExportedSummary),
  })
  .describe('A chat with its whole message tree.');
export type ExportedChat = z.infer<typeof ExportedChat>;

export const ExportDocument = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(EXPORT_VERSION),
    exportedAt: Timestamp,
    app: z.object({ name: z.literal('Coda Agent'), version: z.string() }),
    chats: z.array(ExportedChat),
  })
  .describe('A Coda Agent export: chats with their trees, steps, tool calls, usage, cost, feedback, pins, summaries and attachment metadata. Never keys.');
export type ExportDocument = z.infer<typeof ExportDocument>;

/** The JSON Schema (draft 2020-12) of an export, as published in resources/export-schema.json. */
export function exportJsonSchema(): Record<string, unknown> {
  return {
    $id: `https://coda.invalid/schemas/${EXPORT_FORMAT}-v${EXPORT_VERSION}.json`,
    ...z.toJSONSchema(ExportDocument, { io: 'output', unrepresentable: 'any', reused: 'ref' }),
  };
}
