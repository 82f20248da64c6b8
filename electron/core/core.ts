import type { SessionSettings } from '../../shared/index.js';
import { createHandlers } from './api/handlers.js';
import { createRouter, type CoreApi } from './api/router.js';
import { ChatService } from './chat/chat-service.js';
import type { ProviderConfigSource } from './providers/config.js';
import { ModelDirectory } from './providers/models.js';
import { ProviderRegistry } from './providers/registry.js';
import { DEFAULT_POLICY, type ResiliencePolicy } from './providers/resilience.js';
import { AppEvents } from './runs/app-events.js';
import { RunRegistry } from './runs/run-registry.js';
import { MessagesRepository } from './store/repositories/messages.js';
import { SessionsRepository } from './store/repositories/sessions.js';
import { Store } from './store/store.js';
import { APP_VERSION } from './version.js';

export interface CoreOptions {
  dataDir: string;
  migrationsDir: string;
  providers: ProviderConfigSource;
  /** Retry, timeout and circuit-breaker settings (tests shorten them). */
  resilience?: Partial<ResiliencePolicy>;
  defaultSettings?: Partial<SessionSettings>;
  flushIntervalMs?: number;
  log?: (message: string) => void;
}

export interface Core extends CoreApi {
  readonly store: Store;
  readonly chat: ChatService;
  readonly sessions: SessionsRepository;
  readonly messages: MessagesRepository;
  /** Messages found still streaming at start (left by a crash) and marked interrupted. */
  readonly interruptedAtStart: number;
  close(): Promise<void>;
}

export const DEFAULT_SETTINGS: SessionSettings = {
  provider: 'openai',
  model: 'gpt-4.1-mini',
  systemPrompt: '',
  temperature: null,
  enabledTools: [],
  fallbacks: [],
};

/** Everything the main process hosts, as plain Node: used by Electron, serve mode, the CLI and tests alike. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const store = await Store.open(options.dataDir, options.migrationsDir);
  const sessions = new SessionsRepository(store);
  const messages = new MessagesRepository(store);
  const interruptedAtStart = await messages.interruptAbandoned();
  const providers = new ProviderRegistry(options.providers, { ...DEFAULT_POLICY, ...options.resilience });
  const models = new ModelDirectory(providers);
  const runs = new RunRegistry();
  const appEvents = new AppEvents();
  const chat = new ChatService({ sessions, messages, providers, runs, appEvents, flushIntervalMs: options.flushIntervalMs });
  const defaultSettings = { ...DEFAULT_SETTINGS, ...options.defaultSettings };
  const handlers = createHandlers({
    version: APP_VERSION,
    dataDir: options.dataDir,
    defaultSettings,
    sessions,
    messages,
    providers,
    models,
    chat,
    runs,
    appEvents,
  });
  const router = createRouter(handlers, runs, appEvents, options.log);
  return {
    ...router,
    store,
    chat,
    sessions,
    messages,
    interruptedAtStart,
    async close() {
      runs.stopAll();
      await chat.settle();
      await store.close();
    },
  };
}
