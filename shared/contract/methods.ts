import { z } from 'zod';
import { AgentStep, Id, Message, ProviderId, SearchHit, Session, SessionSettings, ToolCall } from './domain.js';
import { CodaErrorShape } from './errors.js';
import { ElicitationAction, ElicitationContent } from './elicitation.js';
import { SearchFilters } from './search.js';
import { toolMethods } from './tool-methods.js';
import { branchMethods, RetryModel } from './branch-methods.js';
import { treeMethods } from './tree-methods.js';
import { compareMethods } from './compare-methods.js';
import { mergeMethods } from './merge-methods.js';
import { feedbackMethods } from './feedback-methods.js';
import { exportMethods } from './export-methods.js';
import { importMethods } from './import-methods.js';
import { contextMethods } from './context-methods.js';
import { summaryMethods } from './summary-methods.js';
import { presetMethods } from './presets.js';
import { usageMethods } from './usage.js';
import { uiMethods } from './ui.js';
import { backupMethods } from './backup-methods.js';
import { traceMethods } from './trace.js';
import { recallMethods, SearchMode } from './recall.js';

const Empty = z.object({}).strict();
const ProviderStatus = z.object({
  id: ProviderId,
  label: z.string(),
  kind: z.enum(['openai', 'azure', 'anthropic', 'gemini', 'openai-compatible']),
  configured: z.boolean(),
  baseUrl: z.string().nullable(),
  defaultBaseUrl: z.string().nullable(),
  /** The last 4 characters of the key, so a user can tell which one is set; the key itself never leaves core. */
  keyLast4: z.string().nullable(),
  keySource: z.enum(['settings', 'environment']).nullable(),
  /** Why the key is not sent to this address, or why the saved one was removed (the address moved to another origin). */
  keyNotice: z.string().nullable(),
  needsKey: z.boolean(),
  keyEnv: z.string().nullable(),
  baseUrlEnv: z.string().nullable(),
});
const ModelPrice = z.object({
  input: z.number().nonnegative().max(10_000),
  cachedInput: z.number().nonnegative().max(10_000),
  cacheWrite: z.number().nonnegative().max(10_000),
  output: z.number().nonnegative().max(10_000),
});
const ProvidersPage = z.object({
  providers: z.array(ProviderStatus),
  /** Whether keys can be saved here (the desktop app); serve mode and the CLI read them from the environment. */
  canStoreKeys: z.boolean(),
  storageWarning: z.string().nullable(),
  /** What new chats start with: the model picked last (here or in a chat) and the default system prompt. */
  defaults: z.object({ provider: ProviderId, model: z.string(), systemPrompt: z.string() }),
  priceOverrides: z.record(z.string(), ModelPrice),
});
const Title = z.string().trim().min(1).max(200);
const Page = z.object({ items: z.array(Session), nextCursor: z.string().nullable() });
const Run = z.object({ runId: z.string(), assistantMessage: Message });

/**
 * Every method core answers, with the zod schema of its input and output.
 * Transports carry `{method, input}`; core validates input against this table before any handler runs.
 */
export const methods = {
  ...toolMethods,
  ...uiMethods,
  ...backupMethods,
  ...traceMethods,
  ...presetMethods,
  ...usageMethods,
  ...branchMethods,
  ...treeMethods,
  ...compareMethods,
  ...mergeMethods,
  ...feedbackMethods,
  ...exportMethods,
  ...importMethods,
  ...contextMethods,
  ...summaryMethods,
  ...recallMethods,
  'app.info': {
    input: Empty,
    output: z.object({
      version: z.string(),
      dataDir: z.string(),
      /** Whether `data.openFolder` can open it here (the desktop app; not serve mode or the CLI). */
      canOpenFolders: z.boolean(),
      /** Whether `app.restart` works here (the desktop app). */
      canRestart: z.boolean(),
      defaultSettings: SessionSettings,
      providers: z.array(
        z.object({
          id: ProviderId,
          label: z.string(),
          kind: z.enum(['openai', 'azure', 'anthropic', 'gemini', 'openai-compatible']),
          configured: z.boolean(),
          baseUrl: z.string().nullable(),
          keyLast4: z.string().nullable(),
        }),
      ),
    }),
  },
  'providers.list': { input: Empty, output: ProvidersPage },
  /** Sets or clears (null) a provider's key and endpoint. Keys are encrypted by the OS keychain and never returned. */
  'providers.update': {
    input: z
      .object({
        id: ProviderId,
        apiKey: z.string().trim().min(1).max(1000).nullable().optional(),
        baseUrl: z
          .url({ protocol: /^https?$/ })
          .max(500)
          .nullable()
          .optional(),
        apiVersion: z.string().trim().min(1).max(50).nullable().optional(),
      })
      .strict(),
    output: ProvidersPage,
  },
  /** A cheap call (the model list) to check the key and endpoint. */
  'providers.test': {
    input: z.object({ id: ProviderId }).strict(),
    output: z.object({ modelCount: z.number().int().nonnegative(), latencyMs: z.number().nonnegative() }),
  },
  'settings.update': {
    input: z
      .object({
        /** The model new chats start with (both or neither), and their system prompt. */
        defaults: z
          .object({ provider: ProviderId, model: z.string().trim().min(1).max(200), systemPrompt: SessionSettings.shape.systemPrompt })
          .partial()
          .strict()
          .refine((d) => (d.provider === undefined) === (d.model === undefined), 'A default model needs both its provider and its model.')
          .optional(),
        /** Price per 1M tokens for "provider/model"; null goes back to the built-in table. */
        price: z.object({ model: z.string().min(3).max(300), price: ModelPrice.nullable() }).optional(),
      })
      .strict(),
    output: ProvidersPage,
  },
  /** Models of the configured providers (or of one), merged with the curated catalog. */
  'models.list': {
    input: z.object({ provider: ProviderId.optional(), refresh: z.boolean().optional() }).strict(),
    output: z.object({
      models: z.array(
        z.object({
          provider: ProviderId,
          id: z.string(),
          label: z.string(),
          info: z
            .object({
              contextWindow: z.number().int(),
              maxOutput: z.number().int(),
              tools: z.boolean(),
              images: z.boolean(),
              reasoning: z.boolean(),
            })
            .nullable(),
          /** USD per million tokens: the user's price, the list price, or 0 on a local server; null when unknown. */
          price: ModelPrice.nullable(),
          source: z.enum(['catalog', 'provider', 'both']),
        }),
      ),
      errors: z.array(z.object({ provider: ProviderId, error: CodaErrorShape })),
    }),
  },
  'sessions.create': {
    input: z.object({ title: Title.optional(), settings: SessionSettings.partial().optional() }).strict(),
    output: Session,
  },
  'sessions.list': {
    input: z
      .object({
        cursor: z.string().max(200).nullable().optional(),
        limit: z.number().int().min(1).max(200).optional(),
        /** The trash instead: deleted sessions, most recently deleted first. */
        trash: z.boolean().optional(),
        /** Only pinned chats (most recently pinned first, in one page), or only the others; both when absent. */
        pinned: z.boolean().optional(),
        /** Only chats whose title contains this, ignoring case. */
        query: z.string().trim().max(200).optional(),
      })
      .strict(),
    output: Page,
  },
  /** Pins a chat to the top of the sidebar, or unpins it. */
  'sessions.pin': { input: z.object({ id: Id, pinned: z.boolean() }).strict(), output: Session },
  /** Deletes a chat in the trash for good, with its messages, tool calls and files. Live chats are refused. */
  'sessions.purge': { input: z.object({ id: Id }).strict(), output: z.object({ purged: z.literal(true) }) },
  /** Deletes every chat in the trash for good. */
  'sessions.emptyTrash': { input: z.object({}).strict(), output: z.object({ purged: z.number().int().nonnegative() }) },
  'sessions.get': { input: z.object({ id: Id }).strict(), output: Session },
  /**
   * The session whose id starts with `idPrefix` (a whole id is a prefix too), as git resolves short hashes; with
   * `trash`, among deleted ones. No match is not_found; several are a conflict whose details.matches lists a few.
   */
  'sessions.resolve': {
    input: z.object({ idPrefix: z.string().trim().min(1).max(100), trash: z.boolean().optional() }).strict(),
    output: Session,
  },
  /** What a session has cost so far, over every answer in it (branches included), as billed. */
  'sessions.totals': {
    input: z.object({ id: Id }).strict(),
    output: z.object({
      answers: z.number().int().nonnegative(),
      /** Answers whose counts are (partly) estimated: the totals include them, so they are approximate. */
      estimatedAnswers: z.number().int().nonnegative(),
      inputTokens: z.number().int().nonnegative(),
      outputTokens: z.number().int().nonnegative(),
      cachedInputTokens: z.number().int().nonnegative(),
      reasoningTokens: z.number().int().nonnegative(),
      costUsd: z.number().nonnegative(),
      /** Answers with usage but no known price: the cost above leaves them out. */
      unpricedAnswers: z.number().int().nonnegative(),
    }),
  },
  'sessions.rename': { input: z.object({ id: Id, title: Title }).strict(), output: Session },
  'sessions.updateSettings': {
    input: z.object({ id: Id, settings: SessionSettings.partial() }).strict(),
    output: Session,
  },
  /** Soft delete: the session keeps its data and `sessions.restore` brings it back. */
  'sessions.delete': { input: z.object({ id: Id }).strict(), output: Session },
  'sessions.restore': { input: z.object({ id: Id }).strict(), output: Session },
  /**
   * Removes for good a session that holds no answer, tool call or file (its only answers failed, say): what a
   * failed first message leaves. Anything with an answer is refused (conflict); use sessions.delete for those.
   */
  'sessions.discard': { input: z.object({ id: Id }).strict(), output: z.object({ discarded: z.literal(true) }) },
  /** The visible conversation: the last `limit` messages on the path from the root to the active leaf. */
  'messages.path': {
    input: z.object({ sessionId: Id, leafId: Id.optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
    output: z.object({
      messages: z.array(Message),
      total: z.number().int().nonnegative(),
      /** For messages on the path with saved alternatives: all of them (itself included), oldest first. */
      siblings: z.record(Id, z.array(Id)),
    }),
  },
  /** The agent steps and tool calls of some answers (those of a conversation, say), in order. */
  'messages.agentTrace': {
    input: z.object({ messageIds: z.array(Id).max(1000) }).strict(),
    output: z.object({ toolCalls: z.array(ToolCall), steps: z.array(AgentStep) }),
  },
  'messages.attachments': {
    input: z.object({ messageIds: z.array(Id).max(1000) }).strict(),
    output: z.object({ attachments: z.array(z.object({ id: Id, messageId: Id, name: z.string(), mimeType: z.string(), size: z.number().int() })) }),
  },
  'messages.search': {
    input: z
      .object({
        query: z.string().trim().min(1).max(500),
        limit: z.number().int().min(1).max(200).optional(),
        filters: SearchFilters.optional(),
        /** By words (FTS5, the default), by meaning (embeddings), or both merged by reciprocal rank fusion. */
        mode: SearchMode.optional(),
      })
      .strict(),
    output: z.object({ hits: z.array(SearchHit) }),
  },
  'chat.send': {
    input: z
      .object({
        sessionId: Id,
        text: z.string().trim().min(1).max(1_000_000),
        parentId: Id.nullable().optional(),
        /** MCP resources to attach to the message (read now, stored with it). */
        resources: z
          .array(z.object({ server: z.string().min(1).max(100), uri: z.string().min(1).max(4000) }))
          .max(10)
          .optional(),
        /** For this answer only: run every tool without asking, ask for each, or deny all (the CLI's --approve). */
        approval: z.enum(['auto', 'ask', 'deny']).optional(),
        /** Send this once although a blocking spending limit is reached (the user saw the limit and chose to). */
        overBudget: z.literal(true).optional(),
      })
      .strict(),
    output: Run.extend({ userMessage: Message }),
  },
  /** Answers the same user message again as a new sibling branch; the failed answer is kept. */
  'chat.retry': { input: z.object({ messageId: Id, model: RetryModel.optional(), overBudget: z.literal(true).optional() }).strict(), output: Run },
  /** Answers a tool call waiting for approval: `toolCallId` is the approval-request event's (Coda's id for that one call). */
  'chat.approve': {
    input: z.object({ runId: z.string().min(1).max(100), toolCallId: Id, allow: z.boolean() }).strict(),
    output: z.object({ ok: z.literal(true) }),
  },
  /**
   * Answers a tool server's question (the elicitation-request event). Accepted content is checked against the
   * server's schema (empty fields take its defaults); when it does not fit, the question stays open and the
   * error's details.fields names each problem.
   */
  'chat.elicit': {
    input: z
      .object({
        runId: z.string().min(1).max(100),
        elicitationId: z.string().min(1).max(100),
        action: ElicitationAction,
        content: ElicitationContent.refine((c) => Object.keys(c).length <= 100, 'at most 100 fields').optional(),
      })
      .strict(),
    output: z.object({ ok: z.literal(true), content: ElicitationContent.nullable() }),
  },
  'chat.stop': { input: z.object({ runId: z.string().min(1).max(100) }).strict(), output: z.object({ stopped: z.boolean() }) },
  /** Runs still streaming in a session, so a reloaded window can re-attach to them. */
  'chat.activeRuns': {
    input: z.object({ sessionId: Id }).strict(),
    output: z.object({ runs: z.array(z.object({ runId: z.string(), messageId: Id, lastSeq: z.number().int().nonnegative() })) }),
  },
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
export const methodNames = Object.keys(methods) as MethodName[];

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(methods, value);
}
