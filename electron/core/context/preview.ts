import { contextExcerpt, type ContextEntry, type ContextPreview, type RecalledMessage } from '../../../shared/index.js';
import type { ChatTurn } from '../providers/types.js';
import type { MessagesRepository } from '../store/repositories/messages.js';
import type { PinsRepository } from '../store/repositories/pins.js';
import type { SessionsRepository } from '../store/repositories/sessions.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import { buildContext, type ContextItem, type Placement, type SummarySlot } from './builder.js';
import type { Recall } from '../recall/recall.js';
import { contextBudget } from './budget.js';
import type { TokenCalibration } from './calibration.js';
import { countingFor } from './counting.js';
import type { TokenCountCache } from '../chat/estimate.js';
import { isSent, readHistory } from './history.js';
import { NO_EXTRAS, requestExtras } from './request-extras.js';

export interface PreviewDeps {
  sessions: SessionsRepository;
  messages: MessagesRepository;
  pins: PinsRepository;
  tools: ToolRegistry;
  /** Messages' token counts kept by id (the chat service's): a long chat is not counted again at every preview. */
  tokenCounts?: TokenCountCache;
  /** Corrections learnt from billed usage: the preview counts as the next request will. */
  calibration: TokenCalibration;
  /** The chat's summary in effect on a path (absent: none). */
  summaries?: { slot(sessionId: string, leafId: string, path: readonly { id: string }[]): Promise<SummarySlot | null> };
  /** Semantic recall: what it would offer for the chat's last question. */
  recall?: Recall;
}

/**
 * The breakdown the next request of a chat would use: its system prompt, its enabled tools' schemas, its pins and
 * the conversation up to its active message, in its model's window (`context show`), with each candidate message
 * and where the builder put it.
 */
export async function previewContext(deps: PreviewDeps, sessionId: string): Promise<ContextPreview> {
  const session = await deps.sessions.require(sessionId);
  const { settings } = session;
  const leaf = session.activeLeafId;
  const budget = contextBudget(settings.provider, settings.model, settings.maxOutputTokens);
  // The gauge asks after every answer: reads that do not depend on each other go together.
  const readPath = leaf ? readHistory((id, limit) => deps.messages.historyTurns(id, limit), leaf, budget.budget) : Promise.resolve([]);
  const [{ definitions }, path] = await Promise.all([
    settings.enabledTools.length > 0 ? deps.tools.definitions(settings.enabledTools, { answer: true }) : { definitions: [] },
    readPath,
  ]);
  const history: ContextItem[] = path.filter(isSent).map((m) => ({ id: m.id, turn: { role: m.role, content: m.text } }));
  const system: ChatTurn[] = settings.systemPrompt.trim() ? [{ role: 'system', content: settings.systemPrompt }] : [];
  // Recall is asked with the chat's last question, as a send of it would.
  const question = path.filter((m) => m.role === 'user').at(-1);
  const ask = question ? { text: question.text, exclude: path.map((m) => m.id), sessionMessages: session.messageCount } : null;
  const { pinned, summary, recalled } = leaf ? await requestExtras(deps, sessionId, leaf, path, ask) : NO_EXTRAS;
  const items = [...pinned, ...history];
  // As a send does: the history's messages by their kept counts, anything else counted afresh.
  const idOf = new Map(history.map((item) => [item.turn, item.id]));
  const counts = deps.tokenCounts;
  const savedCount = counts ? (turn: ChatTurn) => counts.turn(turn, idOf.get(turn) ?? null) : undefined;
  const built = buildContext(
    { system, tools: definitions, pinned, summary, recalled: recalled?.items ?? [], history },
    budget,
    countingFor(settings.provider, settings.model, deps.calibration, savedCount),
  );
  return { ...built.breakdown(), messages: contextEntries(built.placement(), items, recalled?.recall.messages ?? []) };
}

/**
 * Each placed message with its role and the start of its text, for the gauge's list and `context show`. Recalled
 * messages are sent as system turns naming their chat, so they are described from what recall found (`recalled`):
 * their own role and words, and the chat they are in.
 */
export function contextEntries(placement: Placement[], items: ContextItem[], recalled: readonly RecalledMessage[] = []): ContextEntry[] {
  const turnOf = new Map(items.flatMap((item) => (item.id ? [[item.id, item.turn] as const] : [])));
  const recalledById = new Map(recalled.map((m) => [m.messageId, m]));
  return placement.flatMap((p): ContextEntry[] => {
    const found = recalledById.get(p.id);
    const turn = turnOf.get(p.id);
    let base: Omit<ContextEntry, 'status'>;
    if (found && !turn)
      base = {
        messageId: p.id,
        role: found.role,
        excerpt: contextExcerpt(found.preview),
        tokens: p.tokens,
        recalledFrom: { sessionId: found.sessionId, sessionTitle: found.sessionTitle },
      };
    else if (turn && (turn.role === 'user' || turn.role === 'assistant'))
      base = { messageId: p.id, role: turn.role, excerpt: contextExcerpt(turn.content), tokens: p.tokens, recalledFrom: null };
    else return [];
    return [p.status === 'compressed' ? { ...base, status: 'compressed', sentTokens: p.sentTokens } : { ...base, status: p.status }];
  });
}
