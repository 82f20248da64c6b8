import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { CodaError, SummaryFact, type Summary, type SummaryQuality } from '../../../../shared/index.js';
import { z } from 'zod';
import { summaries } from '../schema.js';
import type { Store } from '../store.js';
import { newId } from '../../util/ids.js';

/** What the quality column holds: every fact of the range (so an incremental or edited summary is checked against all of them). */
const StoredQuality = z.object({ facts: z.array(SummaryFact), lost: z.array(SummaryFact), coverage: z.number() });
export type StoredQuality = z.infer<typeof StoredQuality>;

/** A summary as core uses it: the contract's view plus the facts its range holds. */
export interface StoredSummary extends Summary {
  facts: SummaryFact[];
  toDepth: number;
  previousId: string | null;
}

export interface NewSummary {
  sessionId: string;
  fromMessageId: string;
  toMessageId: string;
  toDepth: number;
  messageCount: number;
  previousId: string | null;
  text: string;
  provider: string;
  model: string;
  trigger: Summary['trigger'];
  facts: SummaryFact[];
  quality: SummaryQuality;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}

type Row = typeof summaries.$inferSelect;

function toSummary(row: Row): StoredSummary {
  const stored = StoredQuality.parse(row.quality);
  return {
    id: row.id,
    sessionId: row.sessionId,
    fromMessageId: row.fromMessageId,
    toMessageId: row.toMessageId,
    messageCount: row.messageCount,
    text: row.text,
    provider: row.provider,
    model: row.model,
    trigger: row.trigger,
    quality: { checked: stored.facts.length, lost: stored.lost, coverage: stored.coverage },
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costUsd: row.costUsd,
    editedAt: row.editedAt,
    createdAt: row.createdAt,
    facts: stored.facts,
    toDepth: row.toDepth,
    previousId: row.previousId,
  };
}

/** Summaries of conversation ranges (see the `summaries` table). */
export class SummariesRepository {
  constructor(private readonly store: Store) {}

  async add(summary: NewSummary): Promise<StoredSummary> {
    const quality: StoredQuality = { facts: summary.facts, lost: summary.quality.lost, coverage: summary.quality.coverage };
    const row = await this.store.write((db) =>
      db
        .insert(summaries)
        .values({
          id: newId(),
          sessionId: summary.sessionId,
          fromMessageId: summary.fromMessageId,
          toMessageId: summary.toMessageId,
          toDepth: summary.toDepth,
          messageCount: summary.messageCount,
          previousId: summary.previousId,
          text: summary.text,
          provider: summary.provider,
          model: summary.model,
          trigger: summary.trigger,
          quality,
          coverage: summary.quality.coverage,
          inputTokens: summary.inputTokens,
          outputTokens: summary.outputTokens,
          costUsd: summary.costUsd,
          createdAt: Date.now(),
          updatedAt: this.store.clock.now(),
        })
        .returning()
        .get(),
    );
    return toSummary(row);
  }

  async require(id: string): Promise<StoredSummary> {
    const row = await this.store.db
      .select()
      .from(summaries)
      .where(and(eq(summaries.id, id), isNull(summaries.deletedAt)))
      .get();
    if (!row) throw new CodaError('not_found', `No summary ${id}: it may have been deleted with its chat.`);
    return toSummary(row);
  }

  /** Replaces the text (the user's edit) with its new quality check. */
  async edit(id: string, text: string, quality: SummaryQuality, facts: SummaryFact[]): Promise<StoredSummary> {
    const stored: StoredQuality = { facts, lost: quality.lost, coverage: quality.coverage };
    const row = await this.store.write((db) =>
      db
        .update(summaries)
        .set({ text, quality: stored, coverage: quality.coverage, editedAt: Date.now(), updatedAt: this.store.clock.now() })
        .where(and(eq(summaries.id, id), isNull(summaries.deletedAt)))
        .returning()
        .get(),
    );
    if (!row) throw new CodaError('not_found', `No summary ${id}: it may have been deleted with its chat.`);
    return toSummary(row);
  }

  /**
   * The summary in effect on the path ending at `leafId`: the deepest one whose last message is on that path. `known`
   * holds the path ids already read (the recent window); a chat without summaries costs one look into an index, and
   * only a summary ending older than the window needs a walk up the tree.
   */
  async onPath(sessionId: string, leafId: string, known: ReadonlySet<string>): Promise<StoredSummary | null> {
    const rows = await this.store.db
      .select()
      .from(summaries)
      .where(and(eq(summaries.sessionId, sessionId), isNull(summaries.deletedAt)))
      .orderBy(desc(summaries.toDepth), desc(summaries.createdAt))
      .all();
    if (rows.length === 0) return null;
    let ancestors: Set<string> | null = null;
    for (const row of rows) {
      if (known.has(row.toMessageId)) return toSummary(row);
      ancestors ??= new Set(
        (
          await this.store.db.all<{ id: string }>(sql`
            WITH RECURSIVE path(id, parent_id) AS (
              SELECT id, parent_id FROM messages WHERE id = ${leafId}
              UNION ALL
              SELECT m.id, m.parent_id FROM messages m JOIN path p ON m.id = p.parent_id
            )
            SELECT path.id FROM path JOIN summaries s ON s.to_message_id = path.id`)
        ).map((r) => r.id),
      );
      if (ancestors.has(row.toMessageId)) return toSummary(row);
    }
    return null;
  }
}
