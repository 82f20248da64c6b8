import { z } from 'zod';
import { CodaErrorShape } from './errors.js';
import { Id, Message, ProviderId, Session, Usage } from './domain.js';
import { Summary } from './summary-methods.js';
import { EmbeddingProgress } from './recall.js';
import { ImportProgress } from './import-methods.js';
import { ElicitationAction, ElicitationContent, ElicitationEnd, ElicitationSchema } from './elicitation.js';

/** Fields every run event carries: `seq` increases by one per event so a client can resume after a reconnect. */
const RunEventBase = { runId: z.string(), seq: z.number().int().positive() };

export const RunEvent = z.discriminatedUnion('type', [
  z.object({
    ...RunEventBase,
    type: z.literal('started'),
    sessionId: Id,
    messageId: Id,
    provider: ProviderId,
    model: z.string(),
  }),
  z.object({ ...RunEventBase, type: z.literal('text-delta'), text: z.string() }),
  z.object({ ...RunEventBase, type: z.literal('reasoning-delta'), text: z.string() }),
  /**
   * The model asks for a tool. `toolCallId` is Coda's own id for the call (its tool_calls row), which every later
   * event and chat.approve use; `providerCallId` is the provider's, which only goes back to the model.
   */
  z.object({
    ...RunEventBase,
    type: z.literal('tool-call'),
    toolCallId: Id,
    providerCallId: z.string(),
    name: z.string(),
    arguments: z.string(),
  }),
  z.object({
    ...RunEventBase,
    type: z.literal('tool-result'),
    toolCallId: Id,
    output: z.unknown(),
    isError: z.boolean(),
  }),
  z.object({ ...RunEventBase, type: z.literal('usage'), usage: Usage }),
  /** A tool call waits for the user: answer with chat.approve. */
  z.object({
    ...RunEventBase,
    type: z.literal('approval-request'),
    /** The id to approve: Coda's own, one call exactly. */
    toolCallId: Id,
    server: z.string(),
    /** The server's name as the user gave it, which is what the request shows. */
    serverLabel: z.string(),
    tool: z.string(),
    arguments: z.unknown(),
    readOnly: z.boolean(),
  }),
  /** The server of a running tool call asks the user for input (MCP elicitation): answer with chat.elicit. */
  z.object({
    ...RunEventBase,
    type: z.literal('elicitation-request'),
    elicitationId: z.string(),
    toolCallId: Id,
    server: z.string(),
    serverLabel: z.string(),
    message: z.string(),
    requestedSchema: ElicitationSchema,
  }),
  /** A question was answered (by the user, or cancelled by a stop or its time limit): forms everywhere close. */
  z.object({
    ...RunEventBase,
    type: z.literal('elicitation-answered'),
    elicitationId: z.string(),
    toolCallId: Id,
    action: ElicitationAction,
    content: ElicitationContent.nullable(),
    endedBy: ElicitationEnd,
  }),
  /** Enabled tool servers whose tools the model could not be offered for this answer (failed, or waiting for a sign-in). */
  z.object({
    ...RunEventBase,
    type: z.literal('tools-unavailable'),
    servers: z.array(z.object({ server: z.string(), label: z.string(), signInNeeded: z.boolean(), message: z.string() })),
  }),
  /** A failed attempt is retried after a pause; nothing of it had reached the user. */
  z.object({ ...RunEventBase, type: z.literal('retry'), attempt: z.number().int().positive(), delayMs: z.number().nonnegative(), error: CodaErrorShape }),
  /** Pinned messages alone (with the system prompt and tools) do not fit the model's window: all are still sent. */
  z.object({
    ...RunEventBase,
    type: z.literal('context-warning'),
    pinTokens: z.number().int().nonnegative(),
    budget: z.number().int().nonnegative(),
    message: z.string(),
  }),
  /** The provider failed before answering, so the next one of the session's fallback chain takes over. */
  z.object({
    ...RunEventBase,
    type: z.literal('fallback'),
    from: z.object({ provider: ProviderId, model: z.string() }),
    to: z.object({ provider: ProviderId, model: z.string() }),
    error: CodaErrorShape,
  }),
  z.object({ ...RunEventBase, type: z.literal('done'), message: Message }),
  z.object({ ...RunEventBase, type: z.literal('error'), error: CodaErrorShape, message: Message }),
]);
export type RunEvent = z.infer<typeof RunEvent>;
export type RunEventType = RunEvent['type'];
/** A run event before the registry stamps it with runId and seq. */
export type RunEventPayload = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'runId' | 'seq'> : never) : never;

export const AppEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session-changed'), session: Session }),
  /** A tool server's state changed on its own (a sign-in finished, a connection dropped): Settings › Tools reloads. */
  z.object({ type: z.literal('tool-servers-changed'), serverId: z.string() }),
  /** A chat's summary was made or edited: an open chat shows it. */
  z.object({ type: z.literal('summary-changed'), summary: Summary }),
  /** An automatic summary could not be made (the summarizer failed): the chat goes on without it, and says why. */
  z.object({ type: z.literal('summary-failed'), sessionId: Id, message: z.string() }),
  /** Embedding the history for semantic recall moved on (Settings › Recall shows it). */
  z.object({ type: z.literal('embedding-progress'), progress: EmbeddingProgress }),
  /** An import of an uploaded file moved on (Settings › Import shows a progress bar). */
  z.object({ type: z.literal('import-progress'), progress: ImportProgress }),
]);
export type AppEvent = z.infer<typeof AppEvent>;

export const Subscription = z.discriminatedUnion('topic', [
  /** Events of one run with seq > afterSeq: past ones are replayed, then live ones follow. */
  z.object({ topic: z.literal('run'), runId: z.string().min(1).max(100), afterSeq: z.number().int().nonnegative() }),
  z.object({ topic: z.literal('app') }),
]);
export type Subscription = z.infer<typeof Subscription>;

export type SubscriptionEvent<S extends Subscription> = S extends { topic: 'run' } ? RunEvent : AppEvent;
export type AnySubscriptionEvent = RunEvent | AppEvent;
