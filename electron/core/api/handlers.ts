import { CodaError, DEFAULT_SETTINGS_MODEL, type SessionSettings } from '../../../shared/index.js';
import type { ChatService } from '../chat/chat-service.js';
import type { ModelDirectory } from '../providers/models.js';
import type { AgentRepository } from '../store/repositories/agent.js';
import type { AttachmentsRepository } from '../store/repositories/attachments.js';
import type { ToolPolicy } from '../settings/preferences.js';
import type { ApprovalGate } from '../tools/approval.js';
import type { ElicitationBroker } from '../tools/elicitation/broker.js';
import { parseClaudeDesktopConfig } from '../tools/servers/claude-config.js';
import type { ToolServers } from '../tools/servers/tool-servers.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { Preferences } from '../settings/preferences.js';
import type { ProviderSettings } from '../settings/provider-settings.js';
import { providersPage } from '../settings/providers-page.js';
import type { AppEvents } from '../runs/app-events.js';
import type { RunRegistry } from '../runs/run-registry.js';
import type { BranchesRepository } from '../store/repositories/branches.js';
import type { MessagesRepository } from '../store/repositories/messages.js';
import type { SessionsRepository } from '../store/repositories/sessions.js';
import type { Handlers } from './router.js';
import type { TraceMethod } from './trace-handlers.js';

export interface HandlerDeps {
  version: string;
  dataDir: string;
  canOpenFolders: boolean;
  canRestart: boolean;
  defaultSettings: () => SessionSettings;
  sessions: SessionsRepository;
  messages: MessagesRepository;
  branches: BranchesRepository;
  providers: ProviderRegistry;
  providerSettings: ProviderSettings;
  preferences: Preferences;
  models: ModelDirectory;
  agent: AgentRepository;
  attachments: AttachmentsRepository;
  tools: ToolRegistry;
  toolServers: ToolServers;
  approvals: ApprovalGate;
  elicitations: ElicitationBroker;
  toolPolicy: (toolId: string) => ToolPolicy;
  chat: ChatService;
  runs: RunRegistry;
  appEvents: AppEvents;
}

const NEW_SESSION_TITLE = 'New chat';

export function createHandlers(
  d: HandlerDeps,
): Omit<
  Handlers,
  | 'ui.get'
  | 'ui.update'
  | 'data.backup'
  | 'data.openFolder'
  | 'data.backups'
  | 'data.backupPiece'
  | 'data.restore'
  | 'data.cancelRestore'
  | 'data.restoreStatus'
  | 'app.restart'
  | `presets.${string}`
  | `budgets.${string}`
  | 'usage.answers'
  | 'messages.setFeedback'
  | 'messages.resolve'
  | 'messages.pin'
  | 'context.show'
  | 'sessions.tree'
  | 'sessions.compare'
  | 'chat.retryMany'
  | 'messages.merge'
  | `summaries.${string}`
  | `export.${string}`
  | `import.${string}`
  | `recall.${string}`
  | TraceMethod
> {
  const changed = <T extends Awaited<ReturnType<SessionsRepository['require']>>>(session: T): T => {
    d.appEvents.emit({ type: 'session-changed', session });
    return session;
  };
  return {
    'app.info': async () => ({
      version: d.version,
      dataDir: d.dataDir,
      canOpenFolders: d.canOpenFolders,
      canRestart: d.canRestart,
      defaultSettings: d.defaultSettings(),
      providers: d.providers.describe(),
    }),
    'providers.list': async () => providersPage(d.providers, d.providerSettings, d.preferences),
    'providers.update': async ({ id, apiKey, baseUrl, apiVersion }) => {
      d.providerSettings.update(id, { apiKey, baseUrl, apiVersion });
      return providersPage(d.providers, d.providerSettings, d.preferences);
    },
    'providers.test': async ({ id }) => {
      const started = Date.now();
      const models = await d.providers.get(id).listModels(AbortSignal.timeout(15_000));
      return { modelCount: models.length, latencyMs: Date.now() - started };
    },
    'settings.update': async ({ defaults, price }) => {
      if (defaults) {
        const current = d.preferences.get('defaults') ?? DEFAULT_SETTINGS_MODEL;
        d.preferences.set('defaults', { ...current, ...defaults });
      }
      if (price) {
        const overrides = { ...d.preferences.get('priceOverrides') };
        if (price.price) overrides[price.model] = price.price;
        else delete overrides[price.model];
        d.preferences.set('priceOverrides', overrides);
      }
      return providersPage(d.providers, d.providerSettings, d.preferences);
    },
    'models.list': ({ provider, refresh }) => d.models.list({ provider, refresh: refresh ?? false }),
    'sessions.create': async ({ title, settings }) =>
      changed(
        await d.sessions.create({
          title: title ?? NEW_SESSION_TITLE,
          titleSource: title ? 'user' : 'default',
          settings: { ...d.defaultSettings(), ...settings },
        }),
      ),
    'sessions.list': ({ cursor, limit, trash, pinned, query }) => {
      if (trash) return d.sessions.listTrash(cursor ?? null, limit ?? 50, query);
      if (pinned) return d.sessions.listPinned(query);
      return d.sessions.list(cursor ?? null, limit ?? 50, { pinned, query });
    },
    'sessions.pin': async ({ id, pinned }) => changed(await d.sessions.pin(id, pinned)),
    'sessions.purge': async ({ id }) => {
      await d.sessions.purge(id);
      return { purged: true as const };
    },
    'sessions.emptyTrash': async () => ({ purged: await d.sessions.emptyTrash() }),
    'sessions.get': ({ id }) => d.sessions.require(id),
    'sessions.switchBranch': async ({ sessionId, messageId }) => {
      await d.sessions.require(sessionId);
      await d.branches.switchTo(sessionId, messageId);
      return changed(await d.sessions.require(sessionId));
    },
    'sessions.branchFrom': async ({ sessionId, messageId }) => {
      await d.sessions.require(sessionId);
      await d.branches.branchFrom(sessionId, messageId);
      return changed(await d.sessions.require(sessionId));
    },
    'messages.delete': async ({ sessionId, messageId }) => {
      await d.sessions.require(sessionId);
      const { deletedAt, count } = await d.branches.deleteSubtree(sessionId, messageId);
      return { session: changed(await d.sessions.require(sessionId)), deletedAt, count };
    },
    'messages.restore': async ({ sessionId, messageId, deletedAt }) => {
      await d.sessions.require(sessionId);
      await d.branches.restoreSubtree(sessionId, messageId, deletedAt);
      return changed(await d.sessions.require(sessionId));
    },
    'sessions.resolve': ({ idPrefix, trash }) => d.sessions.resolve(idPrefix, trash ?? false),
    'sessions.totals': async ({ id }) => {
      await d.sessions.require(id);
      return d.messages.totals(id);
    },
    'sessions.rename': async ({ id, title }) => changed(await d.sessions.rename(id, title, 'user')),
    'sessions.updateSettings': async ({ id, settings }) => changed(await d.sessions.updateSettings(id, settings)),
    'sessions.delete': async ({ id }) => {
      for (const run of d.runs.active(id)) d.runs.stop(run.runId);
      return changed(await d.sessions.softDelete(id));
    },
    'sessions.restore': async ({ id }) => changed(await d.sessions.restore(id)),
    'sessions.discard': async ({ id }) => {
      if (d.runs.active(id).length > 0) throw new CodaError('conflict', 'The chat is still answering; stop it first.');
      changed(await d.sessions.discardUnanswered(id));
      return { discarded: true as const };
    },
    'messages.path': async ({ sessionId, leafId, limit }) => {
      const session = await d.sessions.require(sessionId);
      const leaf = leafId ?? session.activeLeafId;
      if (!leaf) return { messages: [], total: 0, siblings: {} };
      const path = await d.messages.path(leaf, limit ?? 100);
      if (!path.messages.every((m) => m.sessionId === sessionId)) return { messages: [], total: 0, siblings: {} };
      return { ...path, siblings: await d.branches.siblings(sessionId, path.messages) };
    },
    'messages.agentTrace': ({ messageIds }) => d.agent.forMessages(messageIds),
    'tools.list': async ({ servers }) => {
      const { tools } = await d.tools.definitions(servers ?? d.defaultSettings().enabledTools);
      return {
        tools: tools.map((t) => ({ id: t.id, server: t.server, name: t.name, description: t.description, readOnly: t.readOnly, policy: d.toolPolicy(t.id) })),
      };
    },
    'tools.servers': async () => d.toolServers.list(),
    'tools.prompts': async () => ({ prompts: await d.tools.prompts(['*']) }),
    'tools.getPrompt': async ({ server, name, arguments: args }) => ({ text: await d.tools.getPrompt(server, name, args) }),
    'tools.resources': async () => ({ resources: await d.tools.resources(['*']) }),
    'messages.attachments': async ({ messageIds }) => ({ attachments: await d.attachments.forMessages(messageIds) }),
    'tools.addServers': async ({ servers, claudeConfig }) => {
      const toAdd = [...(servers ?? []), ...(claudeConfig ? parseClaudeDesktopConfig(claudeConfig) : [])];
      if (toAdd.length === 0) throw new CodaError('validation', 'Give at least one server, or a Claude Desktop config with "mcpServers".');
      // The form's limit holds for an imported config too.
      if (toAdd.length > 50) throw new CodaError('validation', `At most 50 servers can be added at once; this adds ${toAdd.length}.`);
      return await d.toolServers.add(toAdd);
    },
    'tools.confirmServer': ({ id, fingerprint, trusted, origin }) => d.toolServers.confirm(id, fingerprint, trusted, origin),
    'tools.removeServer': ({ id }) => d.toolServers.remove(id),
    'tools.updateServer': async ({ id, timeoutSeconds }) => d.toolServers.setTimeout(id, timeoutSeconds),
    'tools.restartServer': ({ id }) => d.toolServers.restart(id),
    'tools.updateSecrets': ({ id, headers, env, query, auth, oauth }) => d.toolServers.updateSecrets(id, { headers, env, query, auth, oauth }),
    'tools.signOut': ({ id }) => d.toolServers.signOut(id),
    'tools.setPolicy': async ({ toolId, policy }) => {
      const policies = { ...d.preferences.get('toolPolicies') };
      if (policy) policies[toolId] = policy;
      else delete policies[toolId];
      d.preferences.set('toolPolicies', policies);
      return { ok: true as const };
    },
    'messages.search': async ({ query, limit, filters }) => ({ hits: await d.messages.search(query, limit ?? 50, filters ?? {}) }),
    'chat.send': async (request) => {
      const { runId, assistantMessage, userMessage } = await d.chat.send(request);
      return { runId, assistantMessage, userMessage };
    },
    'chat.retry': async ({ messageId, model, overBudget }) => {
      const { runId, assistantMessage } = await d.chat.retry(messageId, model, overBudget === true);
      return { runId, assistantMessage };
    },
    'chat.stop': async ({ runId }) => ({ stopped: d.chat.stop(runId) }),
    'chat.approve': async ({ runId, toolCallId, allow }) => {
      d.approvals.decide(runId, toolCallId, allow);
      return { ok: true as const };
    },
    'chat.elicit': async ({ runId, elicitationId, action, content }) => ({
      ok: true as const,
      content: d.elicitations.answer(runId, elicitationId, { action, ...(content ? { content } : {}) }),
    }),
    'chat.activeRuns': async ({ sessionId }) => ({ runs: d.runs.active(sessionId) }),
  };
}
