import { CodaError, type ModelPrice, type Summary, type SummaryFact, type SummarySettings } from '../../../shared/index.js';
import { textTokens, turnTokens } from '../chat/estimate.js';
import type { SummarySlot } from '../context/builder.js';
import { contextBudget } from '../context/budget.js';
import { isSent, readHistory } from '../context/history.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { AppEvents } from '../runs/app-events.js';
import type { Preferences } from '../settings/preferences.js';
import type { MessagesRepository } from '../store/repositories/messages.js';
import type { SessionsRepository } from '../store/repositories/sessions.js';
import type { StoredSummary, SummariesRepository } from '../store/repositories/summaries.js';
import { checkQuality, extractFacts } from './quality.js';
import { summarize } from './summarizer.js';

/**
 * An automatic summary leaves the newest turns (questions with their answers) as they were written: the newest one
 * always, and the one before it too when both take at most half the threshold (so the summary brings the request
 * well under the threshold, not just under it).
 */
export const KEEP_RECENT_TURNS = 2;
/** Read whole when summarizing: a summary covers the path from its first message, however long. */
const FULL_PATH = 1_000_000;

export interface SummaryServiceDeps {
  sessions: SessionsRepository;
  messages: MessagesRepository;
  summaries: SummariesRepository;
  providers: ProviderRegistry;
  preferences: Preferences;
  appEvents: AppEvents;
  priceOverrides?: () => Readonly<Record<string, ModelPrice>>;
}

/** The contract's view of a stored summary. */
export function publicSummary(stored: StoredSummary): Summary {
  const { facts: _facts, toDepth: _depth, previousId: _previous, ...summary } = stored;
  return summary;
}

/**
 * The summary slot of a request: the summary in effect on its path, covering the path's messages up to its last
 * one. A summary ending before the read window covers none of the window's messages, and still goes.
 */
export function summarySlot(summary: StoredSummary | null, path: readonly { id: string }[]): SummarySlot | null {
  if (!summary) return null;
  const end = path.findIndex((m) => m.id === summary.toMessageId);
  return { text: summary.text, covers: end < 0 ? [] : path.slice(0, end + 1).map((m) => m.id) };
}

/** Makes, finds and edits the summaries of chats: on demand, and automatically past the threshold. */
export class SummaryService {
  /** One summarizer at a time per chat: a second ask waits for the first and folds only what is new. */
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: SummaryServiceDeps) {}

  settings(): SummarySettings {
    return this.deps.preferences.get('summaries');
  }

  updateSettings(change: Partial<SummarySettings>): SummarySettings {
    const next = { ...this.settings() };
    if (change.auto !== undefined) next.auto = change.auto;
    if (change.thresholdPercent !== undefined) next.thresholdPercent = change.thresholdPercent;
    if (change.model !== undefined) next.model = change.model;
    this.deps.preferences.set('summaries', next);
    return next;
  }

  /** The summary in effect on the path ending at `leafId` (`known`: the path ids already read). */
  onPath(sessionId: string, leafId: string, known: ReadonlySet<string>): Promise<StoredSummary | null> {
    return this.deps.summaries.onPath(sessionId, leafId, known);
  }

  /** The request's summary slot (for the chat service and the preview). */
  async slot(sessionId: string, leafId: string, path: readonly { id: string }[]): Promise<SummarySlot | null> {
    return summarySlot(await this.onPath(sessionId, leafId, new Set(path.map((m) => m.id))), path);
  }

  async current(sessionId: string, leafId?: string): Promise<Summary | null> {
    const session = await this.deps.sessions.require(sessionId);
    const leaf = leafId ?? session.activeLeafId;
    if (!leaf) return null;
    const found = await this.onPath(sessionId, leaf, new Set([leaf]));
    return found ? publicSummary(found) : null;
  }

  /** Summarizes the chat's branch up to its active message now (the button, /compact, `coda summarize`). */
  async create(sessionId: string): Promise<Summary> {
    const made = await this.exclusive(sessionId, () => this.make(sessionId, 'manual'));
    return publicSummary(made!);
  }

  async edit(summaryId: string, text: string): Promise<Summary> {
    const current = await this.deps.summaries.require(summaryId);
    const edited = await this.deps.summaries.edit(summaryId, text, checkQuality(text, current.facts), current.facts);
    this.deps.appEvents.emit({ type: 'summary-changed', summary: publicSummary(edited) });
    return publicSummary(edited);
  }

  /**
   * After an answer: when the next request would fill more than the threshold of the model's window, the older
   * turns are folded into the summary. A failure leaves the chat as it was (requests then drop older turns instead).
   */
  async afterAnswer(sessionId: string): Promise<StoredSummary | null> {
    const settings = this.settings();
    if (!settings.auto) return null;
    const session = await this.deps.sessions.find(sessionId);
    const leaf = session?.activeLeafId;
    if (!session || !leaf) return null;
    const threshold = this.threshold(session.settings);
    // The same candidate history a request reads (older messages too while the budget has room for them).
    const { budget } = contextBudget(session.settings.provider, session.settings.model, session.settings.maxOutputTokens);
    const path = (await readHistory((id, limit) => this.deps.messages.historyTurns(id, limit), leaf, budget)).filter(isSent);
    const slot = await this.slot(sessionId, leaf, path);
    const covered = new Set(slot?.covers ?? []);
    const rest = path.filter((m) => !covered.has(m.id));
    const system = session.settings.systemPrompt;
    // UTF-8 bytes bound tokens from above: a chat well under the threshold is never counted.
    const bound = Buffer.byteLength(system) + Buffer.byteLength(slot?.text ?? '') + rest.reduce((n, m) => n + Buffer.byteLength(m.text) + 4, 0);
    if (bound <= threshold) return null;
    const tokens = textTokens(system) + (slot ? textTokens(slot.text) : 0) + rest.reduce((n, m) => n + turnTokens({ role: m.role, content: m.text }), 0);
    if (tokens <= threshold) return null;
    try {
      return await this.exclusive(sessionId, () => this.make(sessionId, 'auto'));
    } catch (error) {
      const message = `Could not summarize this chat automatically: ${(error as Error).message}`;
      this.deps.appEvents.emit({ type: 'summary-failed', sessionId, message });
      return null;
    }
  }

  /** Tokens the history may take before it is summarized: the threshold's share of the chat model's window. */
  private threshold(settings: { provider: string; model: string; maxOutputTokens: number | null }): number {
    const { window } = contextBudget(settings.provider, settings.model, settings.maxOutputTokens);
    return Math.floor((window * this.settings().thresholdPercent) / 100);
  }

  private async exclusive<T>(sessionId: string, task: () => Promise<T>): Promise<T> {
    const before = this.running.get(sessionId) ?? Promise.resolve();
    const next = before.catch(() => undefined).then(task);
    this.running.set(sessionId, next);
    try {
      return await next;
    } finally {
      if (this.running.get(sessionId) === next) this.running.delete(sessionId);
    }
  }

  /** Folds the messages after the summary in effect (up to the end the trigger chooses) into a new summary. */
  private async make(sessionId: string, trigger: Summary['trigger']): Promise<StoredSummary | null> {
    const session = await this.deps.sessions.require(sessionId);
    const leaf = session.activeLeafId;
    if (!leaf) throw new CodaError('validation', 'This chat has no messages to summarize yet.');
    const full = await this.deps.messages.historyTurns(leaf, FULL_PATH);
    if (full.some((m) => m.status === 'streaming')) throw new CodaError('conflict', 'An answer is still streaming: summarize once it has finished.');
    const sent = full.filter(isSent);
    const end = trigger === 'manual' ? sent.length : endKeepingRecentTurns(sent, this.threshold(session.settings) / 2);
    const previous = await this.onPath(sessionId, leaf, new Set(full.map((m) => m.id)));
    const start = previous ? sent.findIndex((m) => m.id === previous.toMessageId) + 1 : 0;
    const fresh = sent.slice(start, end);
    if (fresh.length === 0) {
      if (trigger === 'auto') return null;
      if (previous) return previous;
      throw new CodaError('validation', 'This chat has no messages to summarize yet.');
    }
    const settings = this.settings();
    const target = settings.model ?? { provider: session.settings.provider, model: session.settings.model };
    const result = await summarize(
      this.deps.providers,
      target,
      previous?.text ?? null,
      fresh.map((m) => ({ role: m.role, text: m.text })),
      this.deps.priceOverrides ? { priceOverrides: this.deps.priceOverrides() } : {},
    );
    const facts = mergeFacts(previous?.facts ?? [], extractFacts(fresh.map((m) => m.text)));
    const last = fresh.at(-1)!;
    const made = await this.deps.summaries.add({
      sessionId,
      fromMessageId: previous?.fromMessageId ?? sent[0]!.id,
      toMessageId: last.id,
      toDepth: (await this.deps.messages.require(last.id)).depth,
      messageCount: (previous?.messageCount ?? 0) + fresh.length,
      previousId: previous?.id ?? null,
      text: result.text,
      provider: target.provider,
      model: target.model,
      trigger,
      facts,
      quality: checkQuality(result.text, facts),
      inputTokens: result.inputTokens,
      outputTokens: result.outputTokens,
      costUsd: result.costUsd,
    });
    this.deps.appEvents.emit({ type: 'summary-changed', summary: publicSummary(made) });
    return made;
  }
}

/** Where an automatic summary ends: before the newest turn, or the newest two when they fit in `keepTokens`. */
function endKeepingRecentTurns(sent: readonly { role: 'user' | 'assistant'; text: string }[], keepTokens: number): number {
  let questions = 0;
  let kept = 0;
  let end = sent.length;
  for (let i = sent.length - 1; i >= 0; i--) {
    const message = sent[i]!;
    kept += turnTokens({ role: message.role, content: message.text });
    if (message.role !== 'user') continue;
    questions++;
    if (questions > 1 && kept > keepTokens) break;
    end = i;
    if (questions === KEEP_RECENT_TURNS) break;
  }
  return end;
}

function mergeFacts(a: SummaryFact[], b: SummaryFact[]): SummaryFact[] {
  const seen = new Set(a.map((f) => `${f.kind}:${f.text.toLowerCase()}`));
  return [...a, ...b.filter((f) => !seen.has(`${f.kind}:${f.text.toLowerCase()}`))];
}
