import { z } from 'zod';
import { CodaErrorShape } from './errors.js';
import { Id, Timestamp } from './primitives.js';
import { ToolCallEvaluation } from './tool-evaluation.js';
import { AnswerRecall } from './recalled.js';
import { MessageOrigin } from './origin.js';

export { Id, Timestamp } from './primitives.js';

export const ProviderId = z.string().min(1).max(64);
export type ProviderId = z.infer<typeof ProviderId>;

/**
 * How much the model may think before it answers: a token budget (Gemini 2.5's thinkingBudget; 0 turns thinking
 * off where the model allows it) or a level (OpenAI's reasoning_effort, Gemini 3's thinkingLevel).
 */
export const ThinkingSetting = z.union([
  z.object({ budgetTokens: z.number().int().min(0).max(200_000) }).strict(),
  z.object({ effort: z.enum(['low', 'medium', 'high']) }).strict(),
]);
export type ThinkingSetting = z.infer<typeof ThinkingSetting>;

export const SessionSettings = z.object({
  provider: ProviderId,
  model: z.string().min(1).max(200),
  systemPrompt: z.string().max(100_000),
  /** Null: the model's own default, for these and the next three. */
  temperature: z.number().min(0).max(2).nullable(),
  /** Nucleus sampling: only the most likely tokens whose probabilities add up to this. */
  topP: z.number().min(0).max(1).nullable(),
  /** Longest answer of one model turn, in tokens. */
  maxOutputTokens: z.number().int().min(1).max(1_000_000).nullable(),
  /** Asks for thinking where the model has it (see ThinkingSetting). */
  thinking: ThinkingSetting.nullable(),
  /** Tool servers whose tools the agent may use in this chat (e.g. "coda", the built-in one). */
  enabledTools: z.array(z.string().max(200)).max(1000),
  /** Most model turns (each may call tools) for one answer. */
  maxSteps: z.number().int().min(1).max(50),
  /** Tried in order when the main provider fails with a retryable error before answering. */
  fallbacks: z.array(z.object({ provider: ProviderId, model: z.string().min(1).max(200) })).max(5),
});
export type SessionSettings = z.infer<typeof SessionSettings>;

export const TitleSource = z.enum(['default', 'auto', 'user']);

export const Session = z.object({
  id: Id,
  title: z.string(),
  titleSource: TitleSource,
  settings: SessionSettings,
  contextSummary: z.string().nullable(),
  activeLeafId: Id.nullable(),
  messageCount: z.number().int().nonnegative(),
  /** When it was pinned to the top of the sidebar; null when it is not. */
  pinnedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  deletedAt: Timestamp.nullable(),
});
export type Session = z.infer<typeof Session>;

export const MessageRole = z.enum(['system', 'user', 'assistant', 'tool']);
export type MessageRole = z.infer<typeof MessageRole>;

/** Status moves streaming -> complete | interrupted | error, once. */
export const MessageStatus = z.enum(['streaming', 'complete', 'interrupted', 'error']);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const ContentPart = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('reasoning'), text: z.string() }),
  z.object({ type: z.literal('attachment'), attachmentId: Id }),
  z.object({ type: z.literal('tool-call'), toolCallId: Id }),
]);
export type ContentPart = z.infer<typeof ContentPart>;

/** Token counts exactly as the provider reported them (billed numbers); estimates live apart. */
export const Usage = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cachedInputTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
  reasoningTokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof Usage>;

/**
 * Where an answer's token counts come from: the provider's report (what it bills), or an estimate with the
 * tokenizer for the model turns it did not report (a stopped answer, a dropped connection), added to what it did.
 */
export const UsageSource = z.enum(['provider', 'estimate']);
export type UsageSource = z.infer<typeof UsageSource>;

/** An answer's usage over all its model turns, and whether any of it is estimated. */
export const MessageUsage = Usage.extend({ source: UsageSource });
export type MessageUsage = z.infer<typeof MessageUsage>;

export const Timing = z.object({
  startedAt: Timestamp.nullable(),
  firstTokenAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
});
export type Timing = z.infer<typeof Timing>;

/** What the user thought of an answer: what the detailed form asks for. */
export const FeedbackCategory = z.enum(['incorrect', 'incomplete', 'unhelpful-tool-use', 'too-slow', 'other']);
export type FeedbackCategory = z.infer<typeof FeedbackCategory>;

/** The user's feedback on an answer, kept with it and editable later (messages.setFeedback). */
export const Feedback = z.object({
  /** Thumbs up or down; null when only the form was filled in (or the thumb was taken back). */
  rating: z.enum(['up', 'down']).nullable(),
  categories: z.array(FeedbackCategory).max(FeedbackCategory.options.length),
  /** How complete the answer was, 1 (not at all) to 5 (fully); null when not given. */
  completeness: z.number().int().min(1).max(5).nullable(),
  comment: z.string().max(10_000),
  /** When it was last changed. */
  at: Timestamp,
});
export type Feedback = z.infer<typeof Feedback>;

/** One provider tried for an answer; the last entry of a route is the one that answered (or failed last). */
export const RouteStep = z.object({
  provider: ProviderId,
  model: z.string(),
  error: CodaErrorShape.nullable(),
});
export type RouteStep = z.infer<typeof RouteStep>;

export const Message = z.object({
  id: Id,
  sessionId: Id,
  parentId: Id.nullable(),
  /** Distance from the root: the length of the visible conversation ending here is depth + 1. */
  depth: z.number().int().nonnegative(),
  role: MessageRole,
  content: z.array(ContentPart),
  provider: ProviderId.nullable(),
  model: z.string().nullable(),
  status: MessageStatus,
  usage: MessageUsage.nullable(),
  /** Pre-flight estimate (gpt-tokenizer) made before sending; the billed count is in usage. */
  estimatedInputTokens: z.number().int().nonnegative().nullable(),
  /** Providers tried, in order, when a fallback was needed; empty when the first one answered. */
  route: z.array(RouteStep),
  costUsd: z.number().nonnegative().nullable(),
  providerResponseId: z.string().nullable(),
  timing: Timing,
  error: CodaErrorShape.nullable(),
  feedback: Feedback.nullable(),
  traceId: z.string().nullable(),
  /** Pinned by the user: always sent with later requests of its branch (electron/core/context). */
  pinned: z.boolean(),
  /** Where a merged message came from (messages.merge); null for a message written in this chat. */
  origin: MessageOrigin.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Message = z.infer<typeof Message>;

export const ToolCallStatus = z.enum(['pending', 'running', 'success', 'error', 'denied', 'cancelled']);
export const ToolCall = z.object({
  id: Id,
  messageId: Id,
  stepId: Id.nullable(),
  /** Null for a tool the model named that no server has: `tool` is then the name as the model wrote it. */
  server: z.string().nullable(),
  tool: z.string(),
  /** The id the model's provider gave the call (renamed when it reused one in the same turn), used only to send its result back. */
  providerCallId: z.string().nullable(),
  input: z.unknown(),
  output: z.unknown().nullable(),
  status: ToolCallStatus,
  error: z.string().nullable(),
  /** Null while the call runs; written by core when it ends, its selection score when the answer ends. */
  evaluation: ToolCallEvaluation.nullable(),
  spanId: z.string().nullable(),
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
});
export type ToolCall = z.infer<typeof ToolCall>;

/**
 * What a request spends that the user never reads: the system prompt and the tools' definitions, sent with every
 * model turn. Counted with the local tokenizer (an estimate), per step.
 */
export const RequestOverhead = z.object({
  systemPromptTokens: z.number().int().nonnegative(),
  toolDefinitionTokens: z.number().int().nonnegative(),
  /** How many tools were offered. */
  tools: z.number().int().nonnegative(),
});
export type RequestOverhead = z.infer<typeof RequestOverhead>;

/**
 * What one request was built from (electron/core/context): the model's window, the output kept free, and the
 * tokens each part took, by priority. Summary and recalled are slots that stay 0 until those features fill them.
 * Counts are the local tokenizer's (an estimate).
 */
export const ContextBreakdown = z.object({
  window: z.number().int().nonnegative(),
  /** Kept for the answer: the chat's max output setting, else the model's max output. */
  outputReserve: z.number().int().nonnegative(),
  budget: z.number().int().nonnegative(),
  system: z.number().int().nonnegative(),
  tools: z.number().int().nonnegative(),
  pins: z.number().int().nonnegative(),
  summary: z.number().int().nonnegative(),
  recalled: z.number().int().nonnegative(),
  recent: z.number().int().nonnegative(),
  /** Budget left (0 when over). */
  free: z.number().int().nonnegative(),
  /** Messages sent whole, sent shortened (formatting stripped, long outputs cut), and left out. */
  included: z.array(Id),
  compressed: z.array(Id),
  dropped: z.array(Id),
  /** Pinned messages alone (with the system prompt and tools) exceed the budget. */
  pinsOverBudget: z.boolean(),
});
export type ContextBreakdown = z.infer<typeof ContextBreakdown>;

export const AgentStepKind = z.enum(['reasoning', 'tool-selection', 'execution', 'observation', 'synthesis']);
export const AgentStep = z.object({
  id: Id,
  messageId: Id,
  ordinal: z.number().int().nonnegative(),
  kind: AgentStepKind,
  /** What the model wrote in this step: its stated reason before choosing tools, or the final synthesis. */
  content: z.string(),
  /** The model's reasoning for this step where its provider returns it (thinking, thought summaries, reasoning_content). */
  reasoning: z.string().nullable(),
  /** The hidden part of this step's request; null for steps saved without a count. */
  overhead: RequestOverhead.nullable(),
  /** How this step's request filled the model's window; null for steps saved before context building. */
  context: ContextBreakdown.nullable(),
  /** The earlier messages recall offered this request (stored on an answer's first step); null when none were looked for. */
  recall: AnswerRecall.nullable(),
  spanId: z.string().nullable(),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
});
export type AgentStep = z.infer<typeof AgentStep>;

export const SearchHit = z.object({
  messageId: Id,
  sessionId: Id,
  sessionTitle: z.string(),
  role: MessageRole,
  /** The model that wrote an answer; null for the user's and tool messages. */
  model: z.string().nullable(),
  /** Its position in its conversation (0 = first), so a view can load enough of the path to show it. */
  depth: z.number().int().nonnegative(),
  /** Words around the matches, each match between SNIPPET_OPEN and SNIPPET_CLOSE (see search.ts). */
  snippet: z.string(),
  createdAt: Timestamp,
});
export type SearchHit = z.infer<typeof SearchHit>;
