import type { MessagesRepository } from '../store/repositories/messages.js';
import type { EmbeddingsRepository } from '../store/repositories/embeddings.js';
import { searchByMode } from '../recall/hybrid-search.js';
import type { Recall } from '../recall/recall.js';
import type { Handlers } from './router.js';

/** Semantic recall's settings and backfill, and `messages.search` in every mode. */
export function createRecallHandlers(deps: {
  recall: Recall;
  embeddings: EmbeddingsRepository;
  messages: MessagesRepository;
}): Pick<Handlers, 'recall.status' | 'recall.update' | 'recall.backfill' | 'messages.search'> {
  const { recall } = deps;
  return {
    'recall.status': () => recall.status(),
    'recall.update': async (patch) => {
      recall.update(patch);
      return recall.status();
    },
    'recall.backfill': () => recall.queue.backfill(),
    'messages.search': async ({ query, limit, filters, mode }) => ({
      hits: await searchByMode(
        { keyword: (q, n, f) => deps.messages.search(q, n, f), embeddings: deps.embeddings, recall },
        query,
        limit ?? 50,
        filters ?? {},
        mode ?? 'keyword',
      ),
    }),
  };
}
