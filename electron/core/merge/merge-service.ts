import { CodaError, type MergeInput, type ModelPrice } from '../../../shared/index.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { MergeRepository } from '../store/repositories/merge.js';
import type { SessionsRepository } from '../store/repositories/sessions.js';
import type { SummaryService } from '../summaries/summary-service.js';
import { summarize } from '../summaries/summarizer.js';

export interface MergeServiceDeps {
  merge: MergeRepository;
  sessions: SessionsRepository;
  summaries: SummaryService;
  providers: ProviderRegistry;
  priceOverrides?: () => Readonly<Record<string, ModelPrice>>;
}

/**
 * Merging a branch into another branch or chat (docs/decisions/0035-merge.md): checks the selection and the target
 * first, then writes copies, or asks the summarizer for one summary and writes it. Everything is checked, and the
 * summary made, before the one write: a refusal or a failed summarizer leaves both chats as they were.
 */
export class MergeService {
  constructor(private readonly deps: MergeServiceDeps) {}

  /** The model that writes a merge's summary: the summaries' model (Settings), else the target chat's own. */
  async summarizer(targetSessionId: string): Promise<{ provider: string; model: string }> {
    const chosen = this.deps.summaries.settings().model;
    if (chosen) return chosen;
    const target = await this.deps.sessions.require(targetSessionId);
    return { provider: target.settings.provider, model: target.settings.model };
  }

  /** Merges and returns the ids written, in order (the last is the target's new active leaf). */
  async merge(input: MergeInput): Promise<string[]> {
    const { merge } = this.deps;
    const chatTitle = await merge.chatTitle(input.sourceSessionId);
    const sources = await merge.selection(input.sourceSessionId, input.messageIds);
    const parent = await merge.parent(input.targetSessionId, input.targetParentId);
    if (input.mode === 'messages') {
      return merge.writeCopies(input.targetSessionId, parent, sources, { kind: 'copied', sessionId: input.sourceSessionId, chatTitle, mergedAt: Date.now() });
    }
    const said = sources.flatMap((m) => ((m.role === 'user' || m.role === 'assistant') && m.text.trim() ? [{ role: m.role, text: m.text }] : []));
    if (said.length === 0) throw new CodaError('validation', 'The selected messages have no text to summarize.');
    const target = await this.summarizer(input.targetSessionId);
    const startedAt = Date.now();
    const result = await summarize(this.deps.providers, target, null, said, this.deps.priceOverrides ? { priceOverrides: this.deps.priceOverrides() } : {});
    const reported = result.inputTokens !== null || result.outputTokens !== null;
    const id = await merge.writeSummary(
      input.targetSessionId,
      parent,
      {
        text: result.text,
        provider: target.provider,
        model: target.model,
        usage: reported
          ? {
              inputTokens: result.inputTokens ?? 0,
              outputTokens: result.outputTokens ?? 0,
              cachedInputTokens: 0,
              cacheWriteTokens: 0,
              reasoningTokens: 0,
              source: 'provider',
            }
          : null,
        costUsd: result.costUsd,
        startedAt,
      },
      { kind: 'summary', sessionId: input.sourceSessionId, messageIds: sources.map((s) => s.id), chatTitle, mergedAt: Date.now() },
    );
    return [id];
  }
}
