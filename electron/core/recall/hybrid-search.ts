import { CodaError, type SearchFilters, type SearchHit, type SearchMode } from '../../../shared/index.js';
import type { EmbeddingsRepository, NearMessage } from '../store/repositories/embeddings.js';
import type { Recall } from './recall.js';

/** Reciprocal rank fusion's constant: a hit's score from one list is 1 / (K + its rank); 60 as in the original paper. */
export const RRF_K = 60;

/**
 * Merges ranked lists by reciprocal rank fusion: each message scores the sum of 1 / (K + rank) over the lists that
 * have it, so one found near the top by both ways beats one found by only one. Ties keep the first list's order.
 * A message in several lists keeps the first list's hit (the keyword hit, whose snippet marks the matches).
 */
export function fuseRanked(lists: readonly (readonly SearchHit[])[], limit: number, k = RRF_K): SearchHit[] {
  const scored = new Map<string, { hit: SearchHit; score: number; first: number }>();
  let seen = 0;
  for (const list of lists)
    list.forEach((hit, rank) => {
      const entry = scored.get(hit.messageId);
      if (entry) entry.score += 1 / (k + rank + 1);
      else scored.set(hit.messageId, { hit, score: 1 / (k + rank + 1), first: seen++ });
    });
  return [...scored.values()]
    .sort((a, b) => b.score - a.score || a.first - b.first)
    .slice(0, limit)
    .map((e) => e.hit);
}

const SNIPPET_CHARS = 200;

/** A semantic hit as a search hit: its opening words as the snippet (nothing is marked: no word matched as such). */
export function nearAsHit(m: NearMessage): SearchHit {
  return {
    messageId: m.messageId,
    sessionId: m.sessionId,
    sessionTitle: m.sessionTitle,
    role: m.role,
    model: m.model,
    depth: m.depth,
    snippet: m.text.replace(/\s+/g, ' ').trim().slice(0, SNIPPET_CHARS),
    createdAt: m.createdAt,
  };
}

export interface ModeSearchDeps {
  keyword: (query: string, limit: number, filters: SearchFilters) => Promise<SearchHit[]>;
  embeddings: EmbeddingsRepository;
  recall: Recall;
}

/** `messages.search` in any mode: keyword (FTS5), semantic (nearest embeddings), or both fused. */
export async function searchByMode(deps: ModeSearchDeps, query: string, limit: number, filters: SearchFilters, mode: SearchMode): Promise<SearchHit[]> {
  if (mode === 'keyword') return deps.keyword(query, limit, filters);
  const { embedder, notice } = deps.recall.embedder();
  if (!embedder) throw new CodaError('validation', `Semantic search needs an embedding model: ${notice}`);
  const vector = await deps.recall.vectorOf(embedder, query);
  const semantic = (await deps.embeddings.nearest(embedder.key, vector, { limit: mode === 'hybrid' ? limit * 2 : limit, filters })).map(nearAsHit);
  if (mode === 'semantic') return semantic;
  const keyword = await deps.keyword(query, limit * 2, filters);
  return fuseRanked([keyword, semantic], limit);
}
