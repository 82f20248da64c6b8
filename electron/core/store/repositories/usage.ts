import { sql } from 'drizzle-orm';
import type { UsageRow } from '../../../../shared/index.js';
import type { Store } from '../store.js';

/** The most rows one report returns; a longer range is cut and says so. */
export const USAGE_ROWS_MAX = 100_000;

interface UsageRecord {
  id: string;
  session_id: string;
  title: string;
  created_at: number;
  provider: string | null;
  model: string | null;
  status: UsageRow['status'];
  input_tokens: number | null;
  cached_input_tokens: number | null;
  cache_write_tokens: number | null;
  output_tokens: number | null;
  reasoning_tokens: number | null;
  cost_usd: number | null;
  usage_source: 'provider' | 'estimate' | null;
}

/**
 * What answers have cost. Money spent stays spent: answers in the trash, and chats in the trash, still count (only
 * purging removes them), so a report and a budget match the provider's bill rather than what the sidebar shows.
 */
export class UsageRepository {
  constructor(private readonly store: Store) {}

  /** Answers with usage whose start falls in [from, to), oldest first. */
  async answers(range: {
    from?: number | undefined;
    to?: number | undefined;
    sessionId?: string | undefined;
  }): Promise<{ rows: UsageRow[]; truncated: boolean }> {
    const records = await this.store.db.all<UsageRecord>(sql`
      SELECT m.id, m.session_id, s.title, m.created_at, m.provider, m.model, m.status, m.input_tokens, m.cached_input_tokens,
             m.cache_write_tokens, m.output_tokens, m.reasoning_tokens, m.cost_usd, m.usage_source
      FROM messages m JOIN sessions s ON s.id = m.session_id
      WHERE m.role = 'assistant' AND m.input_tokens IS NOT NULL
        AND m.created_at >= ${range.from ?? 0} AND m.created_at < ${range.to ?? Number.MAX_SAFE_INTEGER}
        ${range.sessionId ? sql`AND m.session_id = ${range.sessionId}` : sql``}
      ORDER BY m.created_at, m.id
      LIMIT ${USAGE_ROWS_MAX + 1}`);
    return { rows: records.slice(0, USAGE_ROWS_MAX).map(toRow), truncated: records.length > USAGE_ROWS_MAX };
  }

  /** USD spent on answers started at or after `since`, in one chat or in all. */
  async spentSince(since: number, sessionId?: string): Promise<number> {
    const inSession = sessionId ? sql`AND session_id = ${sessionId}` : sql``;
    // Summaries are billed too: their summarizer calls count toward the limits.
    const row = await this.store.db.get<{ spent: number | null }>(sql`
      SELECT (SELECT coalesce(sum(cost_usd), 0) FROM messages WHERE role = 'assistant' AND created_at >= ${since} ${inSession})
        + (SELECT coalesce(sum(cost_usd), 0) FROM summaries WHERE created_at >= ${since} ${inSession}) AS spent`);
    return row?.spent ?? 0;
  }
}

function toRow(r: UsageRecord): UsageRow {
  return {
    messageId: r.id,
    sessionId: r.session_id,
    sessionTitle: r.title,
    at: r.created_at,
    provider: r.provider,
    model: r.model,
    status: r.status,
    inputTokens: r.input_tokens ?? 0,
    cachedInputTokens: r.cached_input_tokens ?? 0,
    cacheWriteTokens: r.cache_write_tokens ?? 0,
    outputTokens: r.output_tokens ?? 0,
    reasoningTokens: r.reasoning_tokens ?? 0,
    costUsd: r.cost_usd,
    estimated: r.usage_source === 'estimate',
  };
}
