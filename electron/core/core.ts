import path from 'node:path';
import type { SessionSettings } from '../../shared/index.js';
import { createContextHandlers } from './api/context-handlers.js';
import { createRecallHandlers } from './api/recall-handlers.js';
import { Recall } from './recall/recall.js';
import { EmbeddingsRepository } from './store/repositories/embeddings.js';
import { PinsRepository } from './store/repositories/pins.js';
import { TokenCalibration } from './context/calibration.js';
import { TokenCountCache } from './chat/estimate.js';
import { TokenCalibrationRepository } from './store/repositories/token-calibration.js';
import { SummariesRepository } from './store/repositories/summaries.js';
import { SummaryService } from './summaries/summary-service.js';
import { createSummaryHandlers } from './api/summary-handlers.js';
import { createFeedbackHandlers } from './api/feedback-handlers.js';
import { createTreeHandlers } from './api/tree-handlers.js';
import { createCompareHandlers } from './api/compare-handlers.js';
import { createMergeHandlers } from './api/merge-handlers.js';
import { MergeService } from './merge/merge-service.js';
import { MergeRepository } from './store/repositories/merge.js';
import { createHandlers } from './api/handlers.js';
import { createPresetHandlers } from './api/preset-handlers.js';
import { createUiHandlers } from './api/ui-handlers.js';
import { createBackupHandlers } from './api/backup-handlers.js';
import { applyPendingRestore } from './backup/pending-restore.js';
import { createUsageHandlers } from './api/usage-handlers.js';
import { createTraceHandlers, retentionDays } from './api/trace-handlers.js';
import { createRouter, type CoreApi } from './api/router.js';
import { ChatService } from './chat/chat-service.js';
import { ModelDirectory } from './providers/models.js';
import { BUILTIN_SERVER_ID, builtinServerConfig, type BuiltinServerLauncher } from './tools/builtin-config.js';
import builtinToolList from './tools/builtin/tool-list.json' with { type: 'json' };
import type { McpTool, ServerConfig } from './tools/sources/source.js';
import type { KnownTools } from './tools/known-tools.js';
import { ToolRegistry } from './tools/tool-registry.js';
import { KeptToolLists } from './tools/servers/kept-tool-lists.js';
import { ToolListsRepository } from './store/repositories/tool-lists.js';
import { AttachmentsRepository } from './store/repositories/attachments.js';
import { KeyStore, NO_VAULT, type SecretVault } from './settings/key-store.js';
import { filePreferences, type Preferences, type ToolPolicy } from './settings/preferences.js';
import { ApprovalGate } from './tools/approval.js';
import { ElicitationBroker } from './tools/elicitation/broker.js';
import { ToolServers } from './tools/servers/tool-servers.js';
import type { SignInHooks } from './tools/sources/services.js';
import { runtimeConfig } from './tools/secrets/server-secrets.js';
import { ToolSecrets } from './settings/tool-secrets.js';
import { ProviderSettings } from './settings/provider-settings.js';
import { DEFAULT_SETTINGS } from './settings/default-settings.js';
import { ProviderRegistry } from './providers/registry.js';
import { DEFAULT_POLICY, type ResiliencePolicy } from './providers/resilience.js';
import { AppEvents } from './runs/app-events.js';
import { RunRegistry } from './runs/run-registry.js';
import { BranchesRepository } from './store/repositories/branches.js';
import { FeedbackRepository } from './store/repositories/feedback.js';
import { ExportReader } from './store/repositories/export-reader.js';
import { createExportHandlers } from './api/export-handlers.js';
import { createImportHandlers } from './api/import-handlers.js';
import { ImportUploads } from './import/uploads.js';
import { ImportWriter } from './store/repositories/import-writer.js';
import { MessageTreeRepository } from './store/repositories/message-tree.js';
import type { MessagesRepository } from './store/repositories/messages.js';
import { SpansRepository } from './store/repositories/spans.js';
import { UsageRepository } from './store/repositories/usage.js';
import { BudgetKeeper } from './usage/budgets.js';
import { SessionsRepository } from './store/repositories/sessions.js';
import { Store } from './store/store.js';
import { TraceRetention } from './tracing/retention.js';
import { SearchUpkeep } from './search-upkeep.js';
import { TracedAgentRepository, TracedMessagesRepository } from './tracing/traced-repositories.js';
import { Tracing, type TracingOptions } from './tracing/tracing.js';
import { APP_VERSION } from './version.js';

export interface CoreOptions {
  dataDir: string;
  migrationsDir: string;
  /** Environment variables with provider keys and endpoints (process.env in the CLI and serve mode). */
  env?: NodeJS.ProcessEnv;
  /** App preferences; electron-store in the app, a JSON file in the data folder otherwise. */
  preferences?: Preferences;
  /** Secret encryption for saved keys (safeStorage in the app); without it keys come only from the environment. */
  vault?: SecretVault;
  /** Tool servers besides the built-in one. */
  toolServers?: ServerConfig[];
  /** How OAuth sign-in pages of remote tool servers reach the user; the app and serve mode show them in Settings › Tools. */
  toolSignIn?: SignInHooks;
  /** How long one tool call may take (default 60 s). */
  toolTimeoutMs?: number;
  /** How the built-in tool server starts; by default a child process over stdio (serve mode, the CLI, tests). */
  builtinToolsLauncher?: BuiltinServerLauncher;
  /** Opens a folder in the system's file manager (the desktop app's shell); without it Settings offers no Open button. */
  openFolder?: (folder: string) => Promise<void>;
  /** Quits and starts the app again (the desktop app's shell); without it Settings asks the user to restart. */
  restart?: () => void;
  /** Start the tool servers right away (the app and serve mode), so the first answer does not wait for them; also starts the search lists' upkeep. */
  prestartTools?: boolean;
  /** Retry, timeout and circuit-breaker settings (tests shorten them). */
  resilience?: Partial<ResiliencePolicy>;
  defaultSettings?: Partial<SessionSettings>;
  flushIntervalMs?: number;
  /** Span batching and queue limits, or tracing off (benchmarks compare with it off). */
  tracing?: TracingOptions;
  log?: (message: string) => void;
}

/** Re-exported where tests and benches have always found it. */
export { DEFAULT_SETTINGS };

export interface Core extends CoreApi {
  readonly store: Store;
  readonly chat: ChatService;
  readonly sessions: SessionsRepository;
  readonly messages: MessagesRepository;
  /** The answers' spans and their exporter (benchmarks read its counts). */
  readonly tracing: Tracing;
  /** Messages found still streaming at start (left by a crash) and marked interrupted. */
  readonly interruptedAtStart: number;
  /** Starts the tool servers (and the search lists' upkeep, and loads the vectors' compact copies) in the background, as `prestartTools` does at open (serve mode: once it listens). */
  prestartTools(): void;
  close(): Promise<void>;
}

/** Written by `npm run build` (tools/builtin/tool-list.ts) from what the built-in server lists. */
const builtinTools: McpTool[] = builtinToolList;

/** A kept list is offered, and its server started at once in the background. */
function keptTools(tools: McpTool[] | null): KnownTools | null {
  return tools && { tools, start: 'now' };
}

/** Everything the main process hosts, as plain Node: used by Electron, serve mode, the CLI and tests alike. */
export async function createCore(options: CoreOptions): Promise<Core> {
  // A restore chosen in Settings is swapped in now, before anything opens the database it replaces.
  await applyPendingRestore(options.dataDir, options.log);
  const store = await Store.open(options.dataDir, options.migrationsDir);
  const sessions = new SessionsRepository(store);
  const spans = new SpansRepository(store);
  // The SDK loads with the tool servers (the app, serve mode) or when the first answer starts (the CLI), so commands
  // without answers never load it (docs/decisions/0021-tracing.md).
  // The spans also go to an OpenTelemetry collector when the environment names one (docs/decisions/0036-otlp-export.md).
  const tracing = new Tracing(spans, { env: options.env ?? {}, log: options.log, ...options.tracing });
  const messages = new TracedMessagesRepository(store, tracing);
  const interruptedAtStart = await messages.interruptAbandoned();
  const preferences = options.preferences ?? filePreferences(options.dataDir);
  const keyStore = new KeyStore(options.dataDir, options.vault ?? NO_VAULT);
  const providerSettings = new ProviderSettings(options.env ?? {}, preferences, keyStore);
  const toolSecrets = new ToolSecrets(keyStore);
  const providers = new ProviderRegistry(providerSettings, { ...DEFAULT_POLICY, ...options.resilience });
  const models = new ModelDirectory(providers, () => preferences.get('priceOverrides'));
  const builtin = builtinServerConfig(options.builtinToolsLauncher);
  // `toolServers` (made below, with the registry) says what a user's server is now; asked only once tools are used.
  const kept = await KeptToolLists.load(new ToolListsRepository(store), (serverId) => toolServers.identity(serverId));
  // Tool servers' questions to the user go to the chat whose tool call is running (see the broker).
  const elicitations = new ElicitationBroker({ log: options.log });
  const tools = new ToolRegistry(
    () => [
      builtin,
      ...preferences
        .get('toolServers')
        .filter((s) => s.confirmed)
        .map((s) => runtimeConfig(s, toolSecrets)),
      ...(options.toolServers ?? []),
    ],
    {
      // Answers offer known lists without waiting for the servers: the built-in one's is fixed by the build, the
      // user's servers' are kept from their last start (see kept-tool-lists.ts for when one may be offered).
      knownTools: {
        known: (config) => (config.id === BUILTIN_SERVER_ID ? { tools: builtinTools, start: 'on-call' } : keptTools(kept.offer(config))),
        listed: (serverId, listed) => kept.listed(serverId, listed),
        forget: (serverId) => kept.forget(serverId),
      },
      timeoutMs: options.toolTimeoutMs,
      cacheDir: path.join(options.dataDir, 'openapi-cache'),
      services: { secrets: toolSecrets, elicit: elicitations.elicit, ...(options.toolSignIn ? { signIn: options.toolSignIn } : {}) },
    },
  );
  const approvals = new ApprovalGate();
  const toolPolicy = (toolId: string): ToolPolicy => {
    const explicit = preferences.get('toolPolicies')[toolId];
    if (explicit) return explicit;
    const tool = tools.find(toolId);
    if (!tool) return 'ask';
    const trusted = tool.server === BUILTIN_SERVER_ID || preferences.get('toolServers').some((s) => s.id === tool.server && s.trusted);
    return trusted && tool.readOnly ? 'auto' : 'ask';
  };
  const agent = new TracedAgentRepository(store, tracing);
  const attachments = new AttachmentsRepository(store, options.dataDir);
  const runs = new RunRegistry();
  const appEvents = new AppEvents();
  // Pieces of files being imported from Settings; what a crash left behind goes first.
  const importUploads = new ImportUploads(options.dataDir);
  await importUploads.removeLeftovers();
  const usage = new UsageRepository(store);
  const budgets = new BudgetKeeper(preferences, usage);
  const pins = new PinsRepository(store);
  const calibration = await TokenCalibration.load(new TokenCalibrationRepository(store));
  const embeddings = new EmbeddingsRepository(store);
  const recall = new Recall({ store, preferences, providers, embeddings, appEvents });
  const embeddingQueue = recall.queue;
  const summaries = new SummaryService({
    sessions,
    messages,
    summaries: new SummariesRepository(store),
    providers,
    preferences,
    appEvents,
    priceOverrides: () => preferences.get('priceOverrides'),
  });
  // Messages' token counts, kept by id for sends and the context preview alike.
  const tokenCounts = new TokenCountCache();
  const chat = new ChatService({
    tokenCounts,
    summaries,
    recall,
    budgets,
    calibration,
    sessions,
    messages,
    pins,
    providers,
    tools,
    agent,
    attachments,
    approvals,
    elicitations,
    toolPolicy,
    runs,
    appEvents,
    tracing,
    priceOverrides: () => preferences.get('priceOverrides'),
    flushIntervalMs: options.flushIntervalMs,
  });
  const defaultSettings = (): SessionSettings => ({ ...DEFAULT_SETTINGS, ...preferences.get('defaults'), ...options.defaultSettings });
  tools.onServersChanged = (serverId) => appEvents.emit({ type: 'tool-servers-changed', serverId });
  const toolServers = new ToolServers(preferences, toolSecrets, tools, builtin, options.toolTimeoutMs);
  const searchUpkeep = new SearchUpkeep(store, options.log);
  const prestartTools = () => {
    searchUpkeep.start();
    void tracing.load();
    void tools.definitions(['*'], { live: true }).catch(() => undefined);
    // Search across every chat ranks compact copies of the vectors held in memory: loaded now, not at the first search.
    void recall.warm();
  };
  if (options.prestartTools) prestartTools();
  // The app and serve mode embed what is not embedded yet in the background (a CLI command embeds only when asked).
  if (options.prestartTools) embeddingQueue.notify();
  const branches = new BranchesRepository(store);
  const handlers = createHandlers({
    version: APP_VERSION,
    dataDir: options.dataDir,
    canOpenFolders: options.openFolder !== undefined,
    canRestart: options.restart !== undefined,
    defaultSettings,
    sessions,
    messages,
    branches,
    providers,
    providerSettings,
    preferences,
    models,
    agent,
    attachments,
    tools,
    toolServers,
    approvals,
    elicitations,
    toolPolicy,
    chat,
    runs,
    appEvents,
  });
  const uiHandlers = createUiHandlers({ preferences, store, dataDir: options.dataDir, openFolder: options.openFolder });
  const retention = new TraceRetention(spans, () => retentionDays(preferences), options.log);
  retention.start();
  const traceHandlers = createTraceHandlers({ messages, spans, tracing, retention, preferences });
  const router = createRouter(
    {
      ...handlers,
      ...uiHandlers,
      ...createBackupHandlers({ dataDir: options.dataDir, migrationsDir: options.migrationsDir, restart: options.restart }),
      ...traceHandlers,
      ...createPresetHandlers(preferences),
      ...createUsageHandlers(usage, budgets),
      ...createFeedbackHandlers(new FeedbackRepository(store)),
      ...createExportHandlers(new ExportReader(store)),
      ...createImportHandlers({ writer: new ImportWriter(store), sessions, appEvents, uploads: importUploads }),
      ...createTreeHandlers({ sessions, tree: new MessageTreeRepository(store) }),
      ...createCompareHandlers({ sessions, messages, branches, agent, chat }),
      ...createContextHandlers({ sessions, messages, pins, tools, calibration, summaries, recall, tokenCounts }),
      ...createSummaryHandlers(summaries),
      ...createMergeHandlers({
        merge: new MergeService({ merge: new MergeRepository(store), sessions, summaries, providers, priceOverrides: () => preferences.get('priceOverrides') }),
        sessions,
        appEvents,
      }),
      // Last: its messages.search (every mode) takes the place of the keyword-only one above.
      ...createRecallHandlers({ recall, embeddings, messages }),
    },
    runs,
    appEvents,
    options.log,
  );
  return {
    ...router,
    store,
    chat,
    sessions,
    messages,
    tracing,
    interruptedAtStart,
    prestartTools,
    async close() {
      runs.stopAll();
      await chat.settle();
      await embeddingQueue.close();
      await importUploads.close();
      await tools.close();
      await retention.stop();
      await searchUpkeep.stop();
      await tracing.shutdown();
      await store.close();
    },
  };
}
