import type { ContextBreakdown } from '../../../shared/index.js';
import { textTokens, turnTokens } from '../chat/estimate.js';
import type { ChatTurn } from '../providers/types.js';
import type { MessagesRepository } from '../store/repositories/messages.js';
import type { PinsRepository } from '../store/repositories/pins.js';
import type { SessionsRepository } from '../store/repositories/sessions.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import { buildContext, type ContextItem } from './builder.js';
import { contextBudget } from './budget.js';
import { HISTORY_LIMIT, isSent, pinnedItem } from './history.js';

export interface PreviewDeps {
  sessions: SessionsRepository;
  messages: MessagesRepository;
  pins: PinsRepository;
  tools: ToolRegistry;
}

/**
 * The breakdown the next request of a chat would use: its system prompt, its enabled tools' schemas, its pins and
 * the conversation up to its active message, in its model's window (`context show`).
 */
export async function previewContext(deps: PreviewDeps, sessionId: string): Promise<ContextBreakdown> {
  const session = await deps.sessions.require(sessionId);
  const { settings } = session;
  const { definitions } = settings.enabledTools.length > 0 ? await deps.tools.definitions(settings.enabledTools, { answer: true }) : { definitions: [] };
  const leaf = session.activeLeafId;
  const path = leaf ? await deps.messages.historyTurns(leaf, HISTORY_LIMIT) : [];
  const history: ContextItem[] = path.filter(isSent).map((m) => ({ id: m.id, turn: { role: m.role, content: m.text } }));
  const pins = leaf ? await deps.pins.onPath(sessionId, leaf, new Set(path.map((m) => m.id))) : [];
  const system: ChatTurn[] = settings.systemPrompt.trim() ? [{ role: 'system', content: settings.systemPrompt }] : [];
  const built = buildContext(
    { system, tools: definitions, pinned: pins.map(pinnedItem), summary: null, recalled: [], history },
    contextBudget(settings.provider, settings.model, settings.maxOutputTokens),
    { turn: turnTokens, text: textTokens },
  );
  return built.breakdown();
}
