import { sql } from 'drizzle-orm';
import { customType, index, integer, primaryKey, real, sqliteTable, text, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';

/**
 * Syncable rows carry created_at (ms), updated_at (a hybrid-logical-clock string that orders changes across
 * devices) and deleted_at (a tombstone). See ../../../../shared/design/data-model.md.
 */
const syncColumns = {
  createdAt: integer('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: integer('deleted_at'),
};

export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    titleSource: text('title_source', { enum: ['default', 'auto', 'user'] }).notNull(),
    /** JSON SessionSettings: provider, model, system prompt, temperature, enabled tools. */
    settings: text('settings', { mode: 'json' }).notNull(),
    contextSummary: text('context_summary'),
    activeLeafId: text('active_leaf_id'),
    messageCount: integer('message_count').notNull().default(0),
    /** Wall-clock ms of the last activity; the sidebar orders by it. */
    lastActivityAt: integer('last_activity_at').notNull(),
    /** When the user pinned it to the top of the sidebar; null when not pinned. */
    pinnedAt: integer('pinned_at'),
    ...syncColumns,
  },
  (t) => [
    index('sessions_live_recent')
      .on(t.lastActivityAt, t.id)
      .where(sql`deleted_at IS NULL`),
    index('sessions_pinned')
      .on(t.pinnedAt)
      .where(sql`pinned_at IS NOT NULL AND deleted_at IS NULL`),
  ],
);

export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    parentId: text('parent_id').references((): AnySQLiteColumn => messages.id, { onDelete: 'cascade' }),
    depth: integer('depth').notNull(),
    role: text('role', { enum: ['system', 'user', 'assistant', 'tool'] }).notNull(),
    /** JSON ContentPart[]. */
    content: text('content', { mode: 'json' }).notNull(),
    /** Plain text of the content, kept for full-text search and exports. */
    text: text('text').notNull(),
    reasoning: text('reasoning'),
    provider: text('provider'),
    model: text('model'),
    status: text('status', { enum: ['streaming', 'complete', 'interrupted', 'error'] }).notNull(),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    cachedInputTokens: integer('cached_input_tokens'),
    cacheWriteTokens: integer('cache_write_tokens'),
    reasoningTokens: integer('reasoning_tokens'),
    /** Where the token counts above come from (null while there are none). */
    usageSource: text('usage_source', { enum: ['provider', 'estimate'] }),
    estimatedInputTokens: integer('estimated_input_tokens'),
    costUsd: real('cost_usd'),
    providerResponseId: text('provider_response_id'),
    startedAt: integer('started_at'),
    firstTokenAt: integer('first_token_at'),
    finishedAt: integer('finished_at'),
    /** JSON RouteStep[]: the providers tried when a fallback was needed. */
    route: text('route', { mode: 'json' }),
    /** JSON {code, message}. */
    error: text('error', { mode: 'json' }),
    /** JSON Feedback. */
    feedback: text('feedback', { mode: 'json' }),
    traceId: text('trace_id'),
    /** When the user pinned it: a pinned message goes with every request of its branch. Null when not pinned. */
    pinnedAt: integer('pinned_at'),
    /** JSON MessageOrigin: where a merged message came from (a copy, or a summary of several); null otherwise. */
    origin: text('origin', { mode: 'json' }),
    ...syncColumns,
  },
  (t) => [
    index('messages_session').on(t.sessionId, t.id),
    index('messages_parent').on(t.parentId),
    // Most chats have no pins: a send finds that out from this (empty) index, not by reading the chat.
    index('messages_pinned')
      .on(t.sessionId)
      .where(sql`pinned_at IS NOT NULL`),
  ],
);

export const agentSteps = sqliteTable(
  'agent_steps',
  {
    id: text('id').primaryKey(),
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    kind: text('kind', { enum: ['reasoning', 'tool-selection', 'execution', 'observation', 'synthesis'] }).notNull(),
    content: text('content').notNull(),
    data: text('data', { mode: 'json' }),
    spanId: text('span_id'),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    ...syncColumns,
  },
  (t) => [index('agent_steps_message').on(t.messageId, t.ordinal)],
);

export const toolCalls = sqliteTable(
  'tool_calls',
  {
    id: text('id').primaryKey(),
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    stepId: text('step_id').references(() => agentSteps.id, { onDelete: 'set null' }),
    ordinal: integer('ordinal').notNull(),
    /** Null for a tool no server has (the model made up or misspelt its name). */
    server: text('server'),
    tool: text('tool').notNull(),
    providerCallId: text('provider_call_id'),
    input: text('input', { mode: 'json' }),
    output: text('output', { mode: 'json' }),
    status: text('status', { enum: ['pending', 'running', 'success', 'error', 'denied', 'cancelled'] }).notNull(),
    error: text('error'),
    /** JSON evaluation: schema validity, detected problems, duration, scores. */
    evaluation: text('evaluation', { mode: 'json' }),
    spanId: text('span_id'),
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at'),
    ...syncColumns,
  },
  (t) => [index('tool_calls_message').on(t.messageId, t.ordinal), index('tool_calls_tool').on(t.server, t.tool), index('tool_calls_step').on(t.stepId)],
);

export const attachments = sqliteTable(
  'attachments',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    messageId: text('message_id').references(() => messages.id, { onDelete: 'set null' }),
    /** SHA-256 of the bytes; the file itself lives once in <data>/attachments/<hash>. */
    hash: text('hash').notNull(),
    name: text('name').notNull(),
    mimeType: text('mime_type').notNull(),
    size: integer('size').notNull(),
    extractedText: text('extracted_text'),
    ...syncColumns,
  },
  (t) => [index('attachments_session').on(t.sessionId), index('attachments_message').on(t.messageId), index('attachments_hash').on(t.hash)],
);

/**
 * OpenTelemetry spans of the app's own work (answers, model and tool calls, context building, database writes), as
 * the batching exporter writes them. Not synced: timings are this device's, and they are pruned after the
 * retention the user sets. No foreign key to messages: a message deleted while its spans wait in the exporter's
 * queue must not make the batch fail; spans are found through `messages.trace_id`.
 */
export const spans = sqliteTable(
  'spans',
  {
    spanId: text('span_id').primaryKey(),
    traceId: text('trace_id').notNull(),
    parentSpanId: text('parent_span_id'),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['internal', 'server', 'client', 'producer', 'consumer'] }).notNull(),
    /** Wall-clock ms since the epoch, with the fraction the SDK's high-resolution clock gives. */
    startMs: real('start_ms').notNull(),
    durationMs: real('duration_ms').notNull(),
    status: text('status', { enum: ['unset', 'ok', 'error'] }).notNull(),
    statusMessage: text('status_message'),
    /** JSON object of the span's attributes (GenAI semantic conventions and coda.*). */
    attributes: text('attributes', { mode: 'json' }).notNull(),
    /** JSON array of {name, atMs, attributes}. */
    events: text('events', { mode: 'json' }).notNull(),
  },
  (t) => [index('spans_trace').on(t.traceId), index('spans_name_duration').on(t.name, t.durationMs), index('spans_start').on(t.startMs)],
);

/**
 * Summaries of a conversation's earlier messages. A summary covers the path from the conversation's first message
 * down to `to_message_id` (one branch: a message has one parent, so every branch through that message shares the
 * whole range, and a branch that leaves earlier never reaches it). Incremental: a new summary folds the messages
 * after `previous_id`'s range into its text. The request sends the deepest summary on its path in place of the range.
 */
export const summaries = sqliteTable(
  'summaries',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    /** First and last message of the range (the path between them is what it covers). */
    fromMessageId: text('from_message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    toMessageId: text('to_message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    /** Depth of `to_message_id`: the deepest summary on a path wins. */
    toDepth: integer('to_depth').notNull(),
    /** Messages of the range that were summarized (questions and answers sent to the model). */
    messageCount: integer('message_count').notNull(),
    /** The summary this one folded new messages into; null for the first. */
    previousId: text('previous_id'),
    text: text('text').notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    trigger: text('trigger', { enum: ['auto', 'manual'] }).notNull(),
    /** JSON SummaryQuality: the names, numbers and decisions of the range, those the text lost, the coverage. */
    quality: text('quality', { mode: 'json' }).notNull(),
    coverage: real('coverage').notNull(),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    costUsd: real('cost_usd'),
    /** When the user last edited the text (null: as the model wrote it). */
    editedAt: integer('edited_at'),
    ...syncColumns,
  },
  (t) => [index('summaries_session').on(t.sessionId, t.toDepth), index('summaries_to').on(t.toMessageId), index('summaries_from').on(t.fromMessageId)],
);

/**
 * A libSQL vector of 32-bit floats (little-endian bytes), read by vector_distance_cos. Declared without a size: each
 * embedding model has its own, and rows of one model are only ever compared with that model's vectors (a vector
 * index, which needs the size, was measured too slow to build: docs/decisions/0026-semantic-recall.md).
 */
const f32Vector = customType<{ data: Float32Array; driverData: Buffer }>({
  dataType: () => 'F32_BLOB',
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Float32Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)),
});

/**
 * Embeddings of messages for semantic recall and search, one per message, made by the model named in `model`
 * (another model's rows are replaced as they are embedded again). Derived data, so not synced and never exported.
 */
export const messageEmbeddings = sqliteTable(
  'message_embeddings',
  {
    messageId: text('message_id')
      .primaryKey()
      .references(() => messages.id, { onDelete: 'cascade' }),
    /** Copied from the message, so recall within one chat reads only that chat's vectors. */
    sessionId: text('session_id').notNull(),
    /** "provider/model" that made the vector. */
    model: text('model').notNull(),
    dims: integer('dims').notNull(),
    embedding: f32Vector('embedding').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('message_embeddings_model_session').on(t.model, t.sessionId)],
);

/**
 * Impact-ordered lists for keyword search (docs/decisions/0024-search.md): for each common FTS term, every message
 * whose bm25 term weight for it is at least `threshold`, so a top-k search reads the head of a short list instead of
 * ranking hundreds of thousands of matches. Filled for new terms by the background refresh
 * (store/repositories/search-top-lists.ts) and kept current by triggers on `messages` (see the migration). Derived
 * data, never synced: it can be dropped and rebuilt at any time.
 */
export const searchTopTerms = sqliteTable('search_top_terms', {
  /** The term as FTS5 indexes it (lower case, stemmed). */
  term: text('term').primaryKey(),
  /** How many indexed messages contain it (the n of bm25's idf), kept by the triggers. */
  docs: integer('docs').notNull(),
  /** Every message whose impact is at least this is in the list (0 when the list holds every match). */
  threshold: real('threshold').notNull(),
  /** The index's mean message length (tokens) the impacts of this term were computed with. */
  avgdl: real('avgdl').notNull(),
});

export const searchTopPostings = sqliteTable(
  'search_top_postings',
  {
    term: text('term').notNull(),
    /** bm25's term weight without the idf: tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl)), k1 = 1.2, b = 0.75. */
    impact: real('impact').notNull(),
    /** The message's rowid (as in messages_fts). */
    rid: integer('rid').notNull(),
  },
  (t) => [primaryKey({ columns: [t.term, t.impact, t.rid] }), index('search_top_postings_rid').on(t.rid)],
);
