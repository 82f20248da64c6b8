import { z } from 'zod';
import { AgentStep, Id, Message, ProviderId, SearchHit, Session, SessionSettings, ToolCall } from './domain.js';
import { CodaErrorShape } from './errors.js';
import { ElicitationAction, ElicitationContent } from './elicitation.js';

const Empty = z.object({}).strict();
export type OAuthSettingsInput = z.infer<typeof OAuthSettingsInput>;
const OAuthSettingsInput = z
  .object({
    clientId: z.string().trim().min(1).max(500).optional(),
    clientSecret: z.string().min(1).max(10_000).optional(),
    clientMetadataUrl: z.url({ protocol: /^https$/ }).max(2000).optional(),
    scope: z.string().trim().min(1).max(2000).optional(),
    callbackPort: z.number().int().min(1024).max(65_535).optional(),
    /** `client_credentials`: Coda signs in as a service with the client's secret or a JWT signed with its private key. */
    grant: z.enum(['authorization_code', 'client_credentials']).optional(),
    privateKey: z.string().min(1).max(20_000).optional(),
    jwtAlgorithm: z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA']).optional(),
  })
  .strict()
  .refine((o) => o.grant !== 'client_credentials' || (o.clientId && (o.clientSecret || o.privateKey)), {
    message: 'Signing in as a service needs the client ID and its secret or private key.',
  });
const ToolPolicy = z.enum(['auto', 'ask', 'deny']);
const ToolServerStatus = z.object({
  id: z.string(),
  label: z.string(),
  builtin: z.boolean(),
  transport: z.enum(['stdio', 'http', 'openapi']),
  /** HTTP servers: the endpoint (header values are not shown again). */
  url: z.string().nullable(),
  command: z.string(),
  args: z.array(z.string()),
  /**
   * Every variable the command gets, shown before confirming: the user decides what the server gets. Values whose
   * name looks secret (tokens, keys, passwords) are masked here ("••••" and at most the last 4 characters, or
   * "(not saved)"); they are in core's key store, listed in `secretEnv`.
   */
  env: z.record(z.string(), z.string()),
  /** stdio servers: the secret variables, each with whether it is saved and its last 4 characters (when it has at least 8). */
  secretEnv: z.array(z.object({ name: z.string(), saved: z.boolean(), last4: z.string().nullable() })),
  /**
   * HTTP servers: the headers sent, by name. Values stay in core's key store; like provider keys, only whether one
   * is saved and its last 4 characters (when it has at least 8) are shown.
   */
  headers: z.array(z.object({ name: z.string(), saved: z.boolean(), last4: z.string().nullable() })),
  /** OpenAPI services: how calls are signed, with the same hint in place of the token, key or password. */
  auth: z
    .object({
      type: z.enum(['none', 'bearer', 'apiKey', 'basic']),
      in: z.enum(['header', 'query']).nullable(),
      name: z.string().nullable(),
      username: z.string().nullable(),
      saved: z.boolean(),
      last4: z.string().nullable(),
    })
    .nullable(),
  confirmed: z.boolean(),
  trusted: z.boolean(),
  /** Longest one call may take, in seconds. */
  timeoutSeconds: z.number().positive(),
  status: z.enum(['stopped', 'connecting', 'ready', 'failed', 'needs-sign-in']),
  error: z.string().nullable(),
  /** A remote server that asked for OAuth: the page to open while a sign-in waits for the user. */
  signInUrl: z.string().nullable(),
  /** Remote servers: whether Coda holds tokens for it (null for servers that cannot sign in). */
  signedIn: z.boolean().nullable(),
  toolCount: z.number().int().nonnegative(),
});
const ToolServerList = z.object({
  servers: z.array(ToolServerStatus),
  /** False where secrets last only until Coda quits (serve mode, the CLI: no OS keychain); Settings says so. */
  secretsPersistent: z.boolean(),
});
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
  defaults: z.object({ provider: ProviderId, model: z.string() }),
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
  'app.info': {
    input: Empty,
    output: z.object({
      version: z.string(),
      dataDir: z.string(),
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
        baseUrl: z.url({ protocol: /^https?$/ }).max(500).nullable().optional(),
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
        defaults: z.object({ provider: ProviderId, model: z.string().trim().min(1).max(200) }).optional(),
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
          priced: z.boolean(),
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
      })
      .strict(),
    output: Page,
  },
  'sessions.get': { input: z.object({ id: Id }).strict(), output: Session },
  /** What a session has cost so far, over every answer in it (branches included), as billed. */
  'sessions.totals': {
    input: z.object({ id: Id }).strict(),
    output: z.object({
      answers: z.number().int().nonnegative(),
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
  /** The visible conversation: the last `limit` messages on the path from the root to the active leaf. */
  'messages.path': {
    input: z
      .object({ sessionId: Id, leafId: Id.optional(), limit: z.number().int().min(1).max(1000).optional() })
      .strict(),
    output: z.object({ messages: z.array(Message), total: z.number().int().nonnegative() }),
  },
  /** The agent steps and tool calls of some answers (those of a conversation, say), in order. */
  'messages.agentTrace': {
    input: z.object({ messageIds: z.array(Id).max(1000) }).strict(),
    output: z.object({ toolCalls: z.array(ToolCall), steps: z.array(AgentStep) }),
  },
  /** Tools the agent can use, from the built-in server and any configured MCP server. */
  'tools.list': {
    input: z.object({ servers: z.array(z.string().max(200)).max(100).optional() }).strict(),
    output: z.object({
      tools: z.array(
        z.object({ id: z.string(), server: z.string(), name: z.string(), description: z.string(), readOnly: z.boolean(), policy: ToolPolicy }),
      ),
    }),
  },
  /** Prompts the MCP servers offer, run from the composer as slash commands. */
  'tools.prompts': {
    input: Empty,
    output: z.object({
      prompts: z.array(
        z.object({
          id: z.string(),
          server: z.string(),
          name: z.string(),
          description: z.string(),
          arguments: z.array(z.object({ name: z.string(), description: z.string(), required: z.boolean() })),
        }),
      ),
    }),
  },
  'tools.getPrompt': {
    input: z.object({ server: z.string().min(1).max(100), name: z.string().min(1).max(200), arguments: z.record(z.string().max(200), z.string().max(100_000)) }).strict(),
    output: z.object({ text: z.string() }),
  },
  /** Resources the MCP servers offer, to attach to a message. */
  'tools.resources': {
    input: Empty,
    output: z.object({
      resources: z.array(z.object({ server: z.string(), uri: z.string(), name: z.string(), description: z.string(), mimeType: z.string().nullable() })),
    }),
  },
  'messages.attachments': {
    input: z.object({ messageIds: z.array(Id).max(1000) }).strict(),
    output: z.object({ attachments: z.array(z.object({ id: Id, messageId: Id, name: z.string(), mimeType: z.string(), size: z.number().int() })) }),
  },
  /** The MCP servers: built-in and user-added, with their full command line, state and last output. */
  'tools.servers': { input: Empty, output: ToolServerList },
  /** Adds servers (typed in, or from a Claude Desktop config). They stay stopped until confirmed. */
  'tools.addServers': {
    input: z
      .object({
        servers: z
          .array(
            z.union([
              z.object({
                label: z.string().trim().min(1).max(100),
                command: z.string().trim().min(1).max(1000),
                args: z.array(z.string().max(4000)).max(100),
                env: z.record(z.string().max(200), z.string().max(10_000)),
              }),
              z.object({
                label: z.string().trim().min(1).max(100),
                url: z.url({ protocol: /^https?$/ }).max(2000),
                headers: z.record(z.string().max(200), z.string().max(10_000)).optional(),
                /** Only for servers whose authorization server does not offer dynamic registration, or to pin scopes. */
                oauth: OAuthSettingsInput.optional(),
              }),
              /** An OpenAPI 3.0/3.1 service: each operation becomes a tool. */
              z.object({
                label: z.string().trim().min(1).max(100),
                openapi: z.url({ protocol: /^https?$/ }).max(2000),
                baseUrl: z.url({ protocol: /^https?$/ }).max(2000).optional(),
                auth: z
                  .discriminatedUnion('type', [
                    z.object({ type: z.literal('none') }),
                    z.object({ type: z.literal('bearer'), token: z.string().min(1).max(10_000) }),
                    z.object({ type: z.literal('apiKey'), in: z.enum(['header', 'query']), name: z.string().min(1).max(200), value: z.string().min(1).max(10_000) }),
                    z.object({ type: z.literal('basic'), username: z.string().max(1000), password: z.string().max(10_000) }),
                  ])
                  .optional(),
              }),
            ]),
          )
          .max(50)
          .optional(),
        claudeConfig: z.string().max(1_000_000).optional(),
      })
      .strict(),
    output: ToolServerList,
  },
  /** The user has seen the full command line and agrees to start it; trusted servers' read-only tools run without asking. */
  /** Forgets a remote server's OAuth tokens; it asks the user to sign in again on next use. */
  'tools.signOut': { input: z.object({ id: z.string().min(1).max(100) }).strict(), output: ToolServerList },
  'tools.confirmServer': { input: z.object({ id: z.string().min(1).max(100), trusted: z.boolean() }).strict(), output: ToolServerList },
  'tools.updateServer': {
    input: z.object({ id: z.string().min(1).max(100), timeoutSeconds: z.number().min(1).max(3600) }).strict(),
    output: ToolServerList,
  },
  /**
   * Replaces saved secrets of a server in place (a rotated or lost token) and restarts it: header values (HTTP),
   * secret environment variables (commands), the token, API key or password (OpenAPI, in the field its auth uses).
   * Names must be ones the server already has. Values are never sent back.
   */
  'tools.updateSecrets': {
    input: z
      .object({
        id: z.string().min(1).max(100),
        headers: z.record(z.string().min(1).max(200), z.string().min(1).max(10_000)).optional(),
        env: z.record(z.string().min(1).max(200), z.string().min(1).max(10_000)).optional(),
        auth: z
          .object({ token: z.string().min(1).max(10_000).optional(), value: z.string().min(1).max(10_000).optional(), password: z.string().min(1).max(10_000).optional() })
          .strict()
          .refine((a) => [a.token, a.value, a.password].filter((v) => v !== undefined).length === 1, { message: 'Give exactly one of token, value or password.' })
          .optional(),
      })
      .strict()
      .refine((i) => Object.keys(i.headers ?? {}).length + Object.keys(i.env ?? {}).length + (i.auth ? 1 : 0) > 0, { message: 'Give at least one new value.' }),
    output: ToolServerList,
  },
  'tools.removeServer': { input: z.object({ id: z.string().min(1).max(100) }).strict(), output: ToolServerList },
  'tools.restartServer': { input: z.object({ id: z.string().min(1).max(100) }).strict(), output: ToolServerList },
  /** Sets (or, with null, resets to the default) whether a tool runs without asking, asks, or never runs. */
  'tools.setPolicy': { input: z.object({ toolId: z.string().min(1).max(200), policy: ToolPolicy.nullable() }).strict(), output: z.object({ ok: z.literal(true) }) },
  'messages.search': {
    input: z.object({ query: z.string().trim().min(1).max(500), limit: z.number().int().min(1).max(200).optional() }).strict(),
    output: z.object({ hits: z.array(SearchHit) }),
  },
  'chat.send': {
    input: z
      .object({
        sessionId: Id,
        text: z.string().trim().min(1).max(1_000_000),
        parentId: Id.nullable().optional(),
        /** MCP resources to attach to the message (read now, stored with it). */
        resources: z.array(z.object({ server: z.string().min(1).max(100), uri: z.string().min(1).max(4000) })).max(10).optional(),
        /** For this answer only: run every tool without asking, ask for each, or deny all (the CLI's --approve). */
        approval: z.enum(['auto', 'ask', 'deny']).optional(),
      })
      .strict(),
    output: Run.extend({ userMessage: Message }),
  },
  /** Answers the same user message again as a new sibling branch; the failed answer is kept. */
  'chat.retry': { input: z.object({ messageId: Id }).strict(), output: Run },
  /** Answers a tool call waiting for approval (the approval-request event). */
  'chat.approve': {
    input: z.object({ runId: z.string().min(1).max(100), toolCallId: z.string().min(1).max(200), allow: z.boolean() }).strict(),
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
